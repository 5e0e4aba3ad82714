import Imaging

/// Reads a volume file one z-slice at a time, converting samples to `Float`, for volumes too large
/// to hold in memory: raw data by positioned reads, compressed data by streaming inflate. Only one
/// slice of the file's bytes is held at once.
public final class VolumeSlabReader {
    /// The volume's grid (ITK LPS), from the header alone.
    public let geometry: VolumeGeometry
    /// The file's sample type.
    public let scalarType: ScalarType
    private let header: RasterHeader
    private let source: RasterDataSource
    private var bytes: [UInt8]
    /// Index of the slice `nextSlice` returns.
    public private(set) var position = 0

    /// Opens `path` (.nrrd, .nhdr, .mha, .mhd; one component, 1 to 3 axes) and reads its header.
    public init(path: String) throws(RecordingError) {
        let header = try SequenceFile.header(path)
        guard header.components == 1, (1...3).contains(header.dimensions.count), !header.interleavedFrames else {
            throw .unsupported(file: path, field: header.dimensionsField,
                               value: header.dimensions.map(String.init).joined(separator: " ") + " with \(header.components) components")
        }
        self.header = header
        geometry = VolumeFile.geometry(of: header)
        scalarType = header.scalarType
        source = try RasterDataSource(header: header)
        bytes = []
    }

    /// Reads only the header: the grid of `path`.
    public static func geometry(_ path: String) throws(RecordingError) -> VolumeGeometry {
        VolumeFile.geometry(of: try SequenceFile.header(path))
    }

    /// Bytes one slice takes in the file.
    public var sliceBytes: Int { geometry.dimensions.x * geometry.dimensions.y * scalarType.byteCount }

    /// Reads slice `position` into `values` (resized to one slice) and moves to the next one.
    public func nextSlice(into values: inout [Float]) throws(RecordingError) {
        precondition(position < geometry.dimensions.z, "no slice \(position) in \(geometry.dimensions.z)")
        let count = geometry.dimensions.x * geometry.dimensions.y
        if bytes.count != sliceBytes { bytes = [UInt8](repeating: 0, count: sliceBytes) }
        try source.readNext(into: &bytes, count: sliceBytes)
        if header.bigEndian { bytes.swapByteOrder(scalarWidth: scalarType.byteCount) }
        if values.count != count { values = [Float](repeating: 0, count: count) }
        bytes.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                func convert<S: BinaryInteger>(_: S.Type) { for (i, v) in raw.bindMemory(to: S.self).enumerated() { out[i] = Float(v) } }
                switch scalarType {
                case .int8: convert(Int8.self)
                case .uint8: convert(UInt8.self)
                case .int16: convert(Int16.self)
                case .uint16: convert(UInt16.self)
                case .int32: convert(Int32.self)
                case .uint32: convert(UInt32.self)
                case .float32: for (i, v) in raw.bindMemory(to: Float.self).enumerated() { out[i] = v }
                case .float64: for (i, v) in raw.bindMemory(to: Double.self).enumerated() { out[i] = Float(v) }
                }
            }
        }
        position += 1
    }
}
