import Imaging

/// Writes a volume slice by slice (z fastest-changing last), for volumes assembled from
/// streamed slices that are never all in memory: `.nrrd` (gzip when compressed) or `.mha`
/// (one zlib stream when compressed), with the headers `VolumeFile.write` writes.
///
/// Built under a temporary name and renamed into place by `finish()`; dropped before that,
/// the temporary file is removed.
public final class VolumeStreamWriter {
    /// The file being written.
    public let path: String
    /// Slices appended so far.
    public private(set) var slicesWritten = 0

    private let geometry: VolumeGeometry
    private let scalarType: ScalarType
    private let data: StreamedDataFile
    private var done = false

    /// Starts `path` for a volume on `geometry` with `scalarType` voxels.
    public init(path: String, geometry: VolumeGeometry, scalarType: ScalarType, compressed: Bool = true) throws(RecordingError) {
        let format = try SequenceFile.Format(path: path)
        guard format != .metaImageDetached, !path.lowercased().hasSuffix(".nhdr") else {
            throw .unsupported(file: path, field: "file extension", value: "streamed volumes are written as .nrrd or .mha")
        }
        self.path = path
        self.geometry = geometry
        self.scalarType = scalarType
        let text: [UInt8], sizeOffset: Int?
        if format == .nrrd {
            text = Array(VolumeFile.nrrdHeader(geometry, scalarType: scalarType, gzip: compressed).utf8)
            sizeOffset = nil
        } else {
            (text, sizeOffset) = VolumeFile.metaImageHeader(geometry, scalarType: scalarType, compressed: compressed,
                                                            compressedSize: nil, dataFile: "LOCAL")
        }
        data = try StreamedDataFile(path: path, header: text, sizeOffset: sizeOffset, compressed: compressed, gzip: format == .nrrd)
    }

    /// Appends the next z slice: `dimensions.x * dimensions.y` voxels as native-order bytes.
    public func append(sliceBytes bytes: [UInt8]) throws(RecordingError) {
        precondition(!done, "VolumeStreamWriter used after finish()")
        let expected = geometry.dimensions.x * geometry.dimensions.y * scalarType.byteCount
        guard slicesWritten < geometry.dimensions.z, bytes.count == expected else {
            throw .invalidField(file: path, field: "slice \(slicesWritten)", value: "\(bytes.count) bytes",
                                reason: "expected \(geometry.dimensions.z) slices of \(expected) bytes")
        }
        try data.append(bytes, last: slicesWritten == geometry.dimensions.z - 1)
        slicesWritten += 1
    }

    /// Checks that every slice was appended, completes the file and renames it to `path`.
    public func finish() throws(RecordingError) {
        guard !done else { return }
        guard slicesWritten == geometry.dimensions.z else {
            let sliceBytes = geometry.dimensions.x * geometry.dimensions.y * scalarType.byteCount
            throw .truncated(file: path, field: "slices", expectedBytes: geometry.dimensions.z * sliceBytes,
                             availableBytes: slicesWritten * sliceBytes)
        }
        try data.commit()
        done = true
    }
}
