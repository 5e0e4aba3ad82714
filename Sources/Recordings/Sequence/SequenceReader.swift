import Geometry
import Imaging

/// Streams the frames of a sequence file from disk one at a time, for recordings too large to
/// hold in memory: raw data is read frame by frame with positioned reads, compressed data is
/// inflated incrementally. Only the header (with its per-frame fields) is held in memory.
///
/// ```swift
/// var reader = try SequenceReader(path: "SpinePhantomFreehand.igs.mha")
/// while let frame = try reader.next() { ... }
/// ```
///
/// A reader owns one open file and its read position: copies share them, so use one reader
/// per pass (open another for a second pass). For a pass that needs only poses, use
/// `metadata(ofFrame:)`, which reads no pixels.
public struct SequenceReader {
    private let layout: SequenceLayout
    private var source: RasterDataSource
    private var index = 0
    /// All samples, for files whose frames are interleaved sample by sample (older 3D Slicer
    /// `.seq.nrrd`): such files cannot be streamed, so they are loaded once (size checked
    /// against the file first).
    private var interleaved: [UInt8]?

    /// Opens `path` (.mha, .igs.mha, .mhd, .nrrd, .igs.nrrd, .seq.nrrd) and parses its header.
    public init(path: String) throws(RecordingError) {
        let header = try SequenceFile.header(path)
        // The data source checks the announced sizes against the file before the layout
        // allocates its per-frame tables.
        source = try RasterDataSource(header: header)
        layout = try SequenceLayout(header: header)
        if header.interleavedFrames {
            var all = [UInt8](repeating: 0, count: source.totalBytes)
            try source.readNext(into: &all, count: all.count)
            interleaved = all
        }
    }

    /// A reader of the same file from its first frame, sharing this one's parsed header (a long
    /// recording's header is not parsed and held twice).
    public func restarted() throws(RecordingError) -> SequenceReader {
        var copy = self
        copy.source = try RasterDataSource(header: layout.header)
        copy.index = 0
        return copy
    }

    /// Number of frames in the file.
    public var frameCount: Int { layout.frameCount }
    /// Index of the frame `next()` returns.
    public var position: Int { index }
    /// Image pixel spacing in mm (x, y) of the frames as returned (MF).
    public var pixelSpacing: SIMD2<Double> {
        layout.orientation.isTransposed ? SIMD2(layout.pixelSpacing.y, layout.pixelSpacing.x) : layout.pixelSpacing
    }
    /// Size in pixels of the frames as returned (MF).
    public var imageSize: SIMD2<Int> {
        layout.orientation.isTransposed ? SIMD2(layout.height, layout.width) : SIMD2(layout.width, layout.height)
    }
    /// Scalars per pixel.
    public var components: Int { layout.components }
    /// Pixel scalar type.
    public var scalarType: ScalarType { layout.scalarType }
    /// The orientation the file stores its pixels in (frames are returned in MF).
    public var storedOrientation: UltrasoundImageOrientation { layout.orientation }
    /// File-level fields other than the geometry ones, in file order.
    public var header: [(key: String, value: String)] { layout.fileFields }

    /// The next frame in MF orientation, or nil after the last one.
    public mutating func next() throws(RecordingError) -> TrackedFrame? {
        guard index < layout.frameCount else { return nil }
        let frameBytes = layout.frameBytes
        var bytes = [UInt8](repeating: 0, count: frameBytes)
        if let interleaved {
            // Sample s of frame f sits at (s * frameCount + f) * sampleBytes.
            let sampleBytes = layout.header.sampleBytes, frames = layout.frameCount, f = index
            interleaved.withUnsafeBytes { src in
                bytes.withUnsafeMutableBytes { dst in
                    for s in 0..<(frameBytes / sampleBytes) {
                        (dst.baseAddress! + s * sampleBytes).copyMemory(
                            from: src.baseAddress! + (s * frames + f) * sampleBytes, byteCount: sampleBytes)
                    }
                }
            }
        } else {
            try source.readNext(into: &bytes, count: frameBytes)
        }
        if layout.header.bigEndian { bytes.swapByteOrder(scalarWidth: layout.scalarType.byteCount) }
        var image = Image(width: layout.width, height: layout.height, components: layout.components,
                          scalarType: layout.scalarType, bytes: bytes)
        image.flip(from: layout.orientation)
        let frame = try layout.frame(index, image: image)
        index += 1
        return frame
    }

    /// Frame `index`'s timestamp, statuses, transforms and fields, with an empty (0 x 0) image,
    /// straight from the header: no pixel I/O or decompression, so a pass that only needs poses
    /// (for example, computing a reconstruction's extent) costs almost nothing. The frame's
    /// image size is `imageSize`.
    public func metadata(ofFrame index: Int) throws(RecordingError) -> TrackedFrame {
        precondition(index >= 0 && index < layout.frameCount, "frame \(index) of \(layout.frameCount)")
        return try layout.frame(index, image: Image(width: 0, height: 0))
    }

    /// Skips ahead to frame `target` (>= the current position). Raw data is skipped with a seek;
    /// compressed data has to be inflated up to that frame.
    public mutating func skip(to target: Int) throws(RecordingError) {
        precondition(target >= index, "SequenceReader only moves forward")
        let target = min(target, layout.frameCount)
        if interleaved != nil {
            // Frames come from memory; nothing to skip.
        } else if source.isRandomAccess {
            source.seek(to: target * layout.frameBytes)
        } else {
            var scratch = [UInt8](repeating: 0, count: layout.frameBytes)
            for _ in index..<target { try source.readNext(into: &scratch, count: layout.frameBytes) }
        }
        index = target
    }
}
