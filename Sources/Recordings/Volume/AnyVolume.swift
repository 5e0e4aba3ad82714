import Imaging

/// A volume of any of the scalar types reconstruction produces or reference files hold.
public enum AnyVolume: Sendable {
    case uint8(Volume<UInt8>)
    case int16(Volume<Int16>)
    case uint16(Volume<UInt16>)
    case float32(Volume<Float>)
    case float64(Volume<Double>)

    /// Wraps a typed volume.
    public init<S: VoxelScalar>(_ volume: Volume<S>) {
        switch volume {
        case let v as Volume<UInt8>: self = .uint8(v)
        case let v as Volume<Int16>: self = .int16(v)
        case let v as Volume<UInt16>: self = .uint16(v)
        case let v as Volume<Float>: self = .float32(v)
        case let v as Volume<Double>: self = .float64(v)
        default: preconditionFailure("unsupported voxel type \(S.self)")
        }
    }

    /// The sampling grid.
    public var geometry: VolumeGeometry {
        get {
            switch self {
            case .uint8(let v): return v.geometry
            case .int16(let v): return v.geometry
            case .uint16(let v): return v.geometry
            case .float32(let v): return v.geometry
            case .float64(let v): return v.geometry
            }
        }
        set {
            switch self {
            case .uint8(var v): v.geometry = newValue; self = .uint8(v)
            case .int16(var v): v.geometry = newValue; self = .int16(v)
            case .uint16(var v): v.geometry = newValue; self = .uint16(v)
            case .float32(var v): v.geometry = newValue; self = .float32(v)
            case .float64(var v): v.geometry = newValue; self = .float64(v)
            }
        }
    }

    /// The voxel type.
    public var scalarType: ScalarType {
        switch self {
        case .uint8: return .uint8
        case .int16: return .int16
        case .uint16: return .uint16
        case .float32: return .float32
        case .float64: return .float64
        }
    }

    /// The value at voxel (i, j, k) as Double.
    public subscript(i: Int, j: Int, k: Int) -> Double {
        switch self {
        case .uint8(let v): return v[i, j, k].doubleValue
        case .int16(let v): return v[i, j, k].doubleValue
        case .uint16(let v): return v[i, j, k].doubleValue
        case .float32(let v): return v[i, j, k].doubleValue
        case .float64(let v): return v[i, j, k]
        }
    }

    /// All voxel values as Double (x fastest), for comparisons and statistics.
    public var doubleValues: [Double] {
        switch self {
        case .uint8(let v): return v.voxels.map(Double.init)
        case .int16(let v): return v.voxels.map(Double.init)
        case .uint16(let v): return v.voxels.map(Double.init)
        case .float32(let v): return v.voxels.map(Double.init)
        case .float64(let v): return v.voxels
        }
    }

    /// The voxels' bytes in native (little-endian) order, as files store them.
    public var rawBytes: [UInt8] {
        switch self {
        case .uint8(let v): return v.voxels
        case .int16(let v): return v.voxels.withUnsafeBytes { Array($0) }
        case .uint16(let v): return v.voxels.withUnsafeBytes { Array($0) }
        case .float32(let v): return v.voxels.withUnsafeBytes { Array($0) }
        case .float64(let v): return v.voxels.withUnsafeBytes { Array($0) }
        }
    }

    /// Calls `body` with the voxels' bytes without copying them.
    func withRawBytes<R>(_ body: (UnsafeRawBufferPointer) throws(RecordingError) -> R) throws(RecordingError) -> R {
        var result: Result<R, RecordingError>!
        func run<S>(_ voxels: [S]) {
            voxels.withUnsafeBytes { raw in
                do throws(RecordingError) { result = .success(try body(raw)) } catch { result = .failure(error) }
            }
        }
        switch self {
        case .uint8(let v): run(v.voxels)
        case .int16(let v): run(v.voxels)
        case .uint16(let v): run(v.voxels)
        case .float32(let v): run(v.voxels)
        case .float64(let v): run(v.voxels)
        }
        return try result.get()
    }
}
