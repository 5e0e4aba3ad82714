import Imaging

/// Reads and writes 3-D volumes: MetaImage (`.mha`, `.mhd` + raw) and NRRD (`.nrrd`).
///
/// Geometry follows ITK: origin and directions are physical LPS coordinates, which for PLUS
/// volumes are simply the Reference frame (PLUS writes `AnatomicalOrientation = RAI` but ITK,
/// 3D Slicer and PLUS itself all take the `Offset` as is).
public enum VolumeFile {
    /// Reads a volume. 2-D images become one-slice volumes. `char` samples are widened to
    /// `Int16` and 32-bit integers to `Double`, both without loss.
    public static func read(_ path: String) throws(RecordingError) -> AnyVolume {
        let header = try SequenceFile.header(path)
        if header.components != 1 {
            throw .unsupported(file: path, field: header.dimensionsField == "DimSize" ? "ElementNumberOfChannels" : "kinds",
                               value: "\(header.components) components per voxel")
        }
        let dims = header.dimensions
        guard (1...3).contains(dims.count), !header.interleavedFrames else {
            throw .unsupported(file: path, field: header.dimensionsField, value: dims.map(String.init).joined(separator: " "))
        }
        let geometry = VolumeFile.geometry(of: header)
        let source = try RasterDataSource(header: header)
        let count = geometry.voxelCount
        let swap = header.bigEndian
        switch header.scalarType {
        case .uint8: return .uint8(Volume(geometry: geometry, voxels: try load(UInt8.self, count, source, swap)))
        case .int16: return .int16(Volume(geometry: geometry, voxels: try load(Int16.self, count, source, swap)))
        case .uint16: return .uint16(Volume(geometry: geometry, voxels: try load(UInt16.self, count, source, swap)))
        case .float32: return .float32(Volume(geometry: geometry, voxels: try load(Float.self, count, source, swap)))
        case .float64: return .float64(Volume(geometry: geometry, voxels: try load(Double.self, count, source, swap)))
        case .int8:
            let v = try load(Int8.self, count, source, swap)
            return .int16(Volume(geometry: geometry, voxels: v.map(Int16.init)))
        case .int32:
            let v = try load(Int32.self, count, source, swap)
            return .float64(Volume(geometry: geometry, voxels: v.map(Double.init)))
        case .uint32:
            let v = try load(UInt32.self, count, source, swap)
            return .float64(Volume(geometry: geometry, voxels: v.map(Double.init)))
        }
    }

    /// The 3-D grid of a 1- to 3-D header (missing axes have size 1, spacing 1, identity direction).
    static func geometry(of header: RasterHeader) -> VolumeGeometry {
        let dims = header.dimensions
        let n = dims.count
        func at(_ a: [Double], _ i: Int, _ fallback: Double) -> Double { i < a.count ? a[i] : fallback }
        var direction = [Double](repeating: 0, count: 9)
        for r in 0..<3 {
            for c in 0..<3 { direction[r * 3 + c] = (r < n && c < n) ? header.direction[r * n + c] : (r == c ? 1 : 0) }
        }
        return VolumeGeometry(
            dimensions: SIMD3(dims[0], n > 1 ? dims[1] : 1, n > 2 ? dims[2] : 1),
            spacing: SIMD3(at(header.spacing, 0, 1), at(header.spacing, 1, 1), at(header.spacing, 2, 1)),
            origin: SIMD3(at(header.origin, 0, 0), at(header.origin, 1, 0), at(header.origin, 2, 0)),
            direction: direction)
    }

    /// Reads `count` scalars straight into their final array (one bulk read or inflate).
    private static func load<S>(_ type: S.Type, _ count: Int, _ source: RasterDataSource, _ swap: Bool) throws(RecordingError) -> [S] {
        var failure: RecordingError?
        var values = [S](unsafeUninitializedCapacity: count) { buffer, initialized in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.initializeMemory(as: UInt8.self, repeating: 0)
            do throws(RecordingError) { try source.readNext(into: raw) } catch { failure = error }
            initialized = count
        }
        if let failure { throw failure }
        if swap, MemoryLayout<S>.size > 1 {
            values.withUnsafeMutableBytes { raw in
                let width = MemoryLayout<S>.size
                var i = 0
                while i < raw.count {
                    var a = i, b = i + width - 1
                    while a < b { raw.swapAt(a, b); a += 1; b -= 1 }
                    i += width
                }
            }
        }
        return values
    }
}
