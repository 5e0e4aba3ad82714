import Geometry
import Imaging

/// Writes a tracked sequence whose frame poses are known up front but whose images arrive one
/// at a time, without holding them: `.mha`/`.igs.mha` (MetaImage, attached data),
/// `.nrrd`/`.igs.nrrd` (PLUS NRRD) or `.seq.nrrd` (3D Slicer volume sequence), in the same
/// layout as `SequenceFile.write`.
///
/// The header (with every frame's transforms and timestamp) is written first, then each image
/// is compressed (one zlib or gzip stream) or copied straight after it. The file is built
/// under a temporary name and renamed into place by `finish()`; a writer dropped before
/// `finish()` removes its temporary file, so `path` is never left half written.
public final class SequenceStreamWriter {
    /// The file being written.
    public let path: String
    /// Frames appended so far.
    public private(set) var framesWritten = 0

    private let frameCount: Int
    private let shape: FrameShape
    private let data: StreamedDataFile
    private var done = false

    /// Starts `path`. `frames` gives every frame's timestamp, status, transforms and fields
    /// (their images are ignored); the images appended later must be `width` x `height`
    /// single-component `scalarType`.
    public init(path: String, frames: [TrackedFrame], width: Int, height: Int, scalarType: ScalarType,
                pixelSpacing: SIMD2<Double> = SIMD2(1, 1), header: [(key: String, value: String)] = [],
                compressed: Bool = true) throws(RecordingError) {
        let format = try SequenceFile.Format(path: path)
        let lower = path.lowercased()
        guard format != .metaImageDetached, !lower.hasSuffix(".nhdr") else {
            throw .unsupported(file: path, field: "file extension", value: "streamed sequences are written as .mha, .igs.mha, .nrrd, .igs.nrrd or .seq.nrrd")
        }
        self.path = path
        frameCount = frames.count
        var s = FrameShape(Image(width: 0, height: 0))
        s.width = width
        s.height = height
        s.components = 1
        s.scalarType = scalarType
        shape = s
        let imageStatusName = format == .nrrd ? "Status" : "ImageStatus"
        let fields = frames.map { SequenceHeaderText.frameFields($0, imageStatusName: imageStatusName) }
        let fileFields = header.filter {
            !SequenceLayout.geometryKeys.contains(RasterHeader.normalizedKey($0.key)) && SequenceLayout.frameField($0.key) == nil
        }
        let text: [UInt8], sizeOffset: Int?
        switch format {
        case .metaImage:
            (text, sizeOffset) = SequenceHeaderText.metaImage(
                shape: shape, frameCount: frames.count, spacing: pixelSpacing, fileFields: fileFields,
                frames: fields, compressed: compressed, compressedSize: nil, dataFile: "LOCAL")
        default:
            text = SequenceHeaderText.nrrd(shape: shape, frameCount: frames.count, spacing: pixelSpacing, fileFields: fileFields,
                                           frames: fields, timestamps: frames.map(\.timestamp), gzip: compressed,
                                           slicer: lower.hasSuffix(".seq.nrrd"))
            sizeOffset = nil
        }
        data = try StreamedDataFile(path: path, header: text, sizeOffset: sizeOffset, compressed: compressed, gzip: format == .nrrd)
    }

    /// Appends the next frame's image (MF orientation).
    public func append(_ image: Image) throws(RecordingError) {
        precondition(!done, "SequenceStreamWriter used after finish()")
        guard framesWritten < frameCount else {
            throw .invalidField(file: path, field: "DimSize", value: "\(framesWritten + 1) frames", reason: "the header announced \(frameCount)")
        }
        guard FrameShape(image) == shape else {
            throw .invalidField(file: path, field: "Seq_Frame\(SequenceLayout.frameNumber(framesWritten)) image",
                                value: "\(image.width)x\(image.height)x\(image.components) \(image.scalarType)",
                                reason: "all frames must be \(shape.width)x\(shape.height)x1 \(shape.scalarType)")
        }
        try data.append(image.bytes, last: framesWritten == frameCount - 1)
        framesWritten += 1
    }

    /// Checks that every announced frame was appended, completes the file and renames it to `path`.
    public func finish() throws(RecordingError) {
        guard !done else { return }
        guard framesWritten == frameCount else {
            throw .truncated(file: path, field: "frames", expectedBytes: frameCount * shape.frameBytes,
                             availableBytes: framesWritten * shape.frameBytes)
        }
        try data.commit()
        done = true
    }
}
