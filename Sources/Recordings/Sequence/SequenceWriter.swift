import Geometry
import Imaging

/// Records a sequence to disk frame by frame, for live acquisition: after every flush the files
/// on disk form a complete, readable sequence, even if the process is killed right after.
///
/// Design: a MetaImage header (`name.mhd`) plus uncompressed pixels (`name.raw`). Each frame's
/// pixels are appended to the `.raw` file. A flush rewrites the small header with the new
/// `DimSize` and the per-frame fields of every frame so far, written to a temporary file and
/// renamed over the old header (an atomic replace), so a reader, or a crash, sees either the
/// previous complete header or the new one, never a torn one. Pixels appended after the last
/// flush are simply beyond what the header announces and are ignored by readers.
///
/// A single `.mha` cannot be grown this way (its header sits before the data and grows with
/// every frame's fields), and a compressed stream cannot be read before it is finished, which
/// is why the live format is `.mhd` + `.raw`; convert with `SequenceFile.write` afterwards.
///
/// Cost: a flush writes the whole header (about 600 bytes per frame with three transforms), so
/// long recordings should flush every few frames (`flushInterval`) rather than every frame.
public final class SequenceWriter {
    /// The header path (`.mhd`).
    public let path: String
    /// The pixel data path (`.raw`, beside the header).
    public let dataPath: String
    /// Frames appended so far.
    public private(set) var frameCount = 0
    /// Frames the header on disk describes.
    public private(set) var flushedFrameCount = 0

    private let data: RawFile
    private let dataName: String
    private let pixelSpacing: SIMD2<Double>
    private let fileFields: [(key: String, value: String)]
    private let flushInterval: Int
    private let durable: Bool
    private var shape: FrameShape?
    private var frameLines: [UInt8] = []
    private var dataOffset = 0
    private var closed = false

    /// Creates (or truncates) `path` (must end in `.mhd`) and its `.raw` data file, and writes a
    /// valid empty sequence.
    /// - Parameters:
    ///   - flushInterval: rewrite the header after this many appended frames (1: after every frame).
    ///   - durable: also `fsync` data and header at each flush (survives power loss, not only a crash).
    public init(path: String, pixelSpacing: SIMD2<Double> = SIMD2(1, 1), header: [(key: String, value: String)] = [],
                flushInterval: Int = 1, durable: Bool = false) throws(RecordingError) {
        guard path.lowercased().hasSuffix(".mhd") else {
            throw .unsupported(file: path, field: "file extension", value: "live recording writes .mhd + .raw")
        }
        precondition(flushInterval >= 1, "flushInterval must be at least 1")
        self.path = path
        dataName = SequenceFile.baseName(path) + ".raw"
        dataPath = RasterHeader.resolve(dataName, relativeTo: path)
        data = try RawFile(path: dataPath, mode: .create)
        self.pixelSpacing = pixelSpacing
        fileFields = header.filter {
            !SequenceLayout.geometryKeys.contains(RasterHeader.normalizedKey($0.key)) && SequenceLayout.frameField($0.key) == nil
        }
        self.flushInterval = flushInterval
        self.durable = durable
        try writeHeader()
    }

    deinit {
        if !closed { try? flush() }
    }

    /// Appends one frame (MF orientation); all frames must have the first frame's size and type.
    public func append(_ frame: TrackedFrame) throws(RecordingError) {
        precondition(!closed, "SequenceWriter used after close()")
        let frameShape = FrameShape(frame.image)
        if let shape, shape != frameShape {
            throw .invalidField(file: path, field: "Seq_Frame\(SequenceLayout.frameNumber(frameCount)) image",
                                value: "\(frame.image.width)x\(frame.image.height)x\(frame.image.components) \(frame.image.scalarType)",
                                reason: "all frames must match the first (\(shape.width)x\(shape.height)x\(shape.components) \(shape.scalarType))")
        }
        shape = frameShape
        try data.write(frame.image.bytes, at: dataOffset)
        dataOffset += frame.image.bytes.count
        frameLines.append(contentsOf: SequenceHeaderText.metaImageFrameLines(
            index: frameCount, fields: SequenceHeaderText.frameFields(frame)).utf8)
        frameCount += 1
        if frameCount - flushedFrameCount >= flushInterval { try flush() }
    }

    /// Rewrites the header so the files on disk hold every frame appended so far.
    public func flush() throws(RecordingError) {
        if frameCount == flushedFrameCount && flushedFrameCount > 0 { return }
        if durable { try data.sync() }
        try writeHeader()
    }

    /// Flushes and closes the data file.
    public func close() throws(RecordingError) {
        guard !closed else { return }
        try flush()
        data.close()
        closed = true
    }

    private func writeHeader() throws(RecordingError) {
        let (prefix, _) = SequenceHeaderText.metaImagePrefix(
            shape: shape ?? FrameShape(Image(width: 0, height: 0)), frameCount: frameCount, spacing: pixelSpacing,
            fileFields: fileFields, compressed: false, compressedSize: nil)
        var text = Array(prefix.utf8)
        text.append(contentsOf: frameLines)
        text.append(contentsOf: SequenceHeaderText.metaImageDataLine(dataName).utf8)
        let file = try RawFile.temporary(for: path)
        do {
            try file.write(text, at: 0)
            if durable { try file.sync() }
            try file.commit(to: path)
        } catch {
            file.discard()
            throw error
        }
        flushedFrameCount = frameCount
    }
}
