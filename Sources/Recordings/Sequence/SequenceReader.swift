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
public struct SequenceReader {
    private let layout: SequenceLayout
    private let source: RasterDataSource
    private var index = 0

    /// Opens `path` (.mha, .igs.mha, .mhd, .nrrd, .igs.nrrd, .seq.nrrd) and parses its header.
    public init(path: String) throws(RecordingError) {
        let header = try SequenceFile.header(path)
        // The data source checks the announced sizes against the file before the layout
        // allocates its per-frame tables.
        source = try RasterDataSource(header: header)
        layout = try SequenceLayout(header: header)
    }

    /// Number of frames in the file.
    public var frameCount: Int { layout.frameCount }
    /// Index of the frame `next()` returns.
    public var position: Int { index }
    /// Image pixel spacing in mm (x, y).
    public var pixelSpacing: SIMD2<Double> { layout.pixelSpacing }
    /// Frame size in pixels.
    public var imageSize: SIMD2<Int> { SIMD2(layout.width, layout.height) }
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
        try source.readNext(into: &bytes, count: frameBytes)
        if layout.header.bigEndian { bytes.swapByteOrder(scalarWidth: layout.scalarType.byteCount) }
        var image = Image(width: layout.width, height: layout.height, components: layout.components,
                          scalarType: layout.scalarType, bytes: bytes)
        image.flip(from: layout.orientation)
        let frame = try layout.frame(index, image: image)
        index += 1
        return frame
    }

    /// Skips ahead to frame `target` (>= the current position). Raw data is skipped with a seek;
    /// compressed data has to be inflated up to that frame.
    public mutating func skip(to target: Int) throws(RecordingError) {
        precondition(target >= index, "SequenceReader only moves forward")
        let target = min(target, layout.frameCount)
        if source.isRandomAccess {
            source.seek(to: target * layout.frameBytes)
        } else {
            var scratch = [UInt8](repeating: 0, count: layout.frameBytes)
            for _ in index..<target { try source.readNext(into: &scratch, count: layout.frameBytes) }
        }
        index = target
    }
}
