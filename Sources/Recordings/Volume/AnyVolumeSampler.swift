import Imaging

/// A `VolumeSampler` for a volume of any scalar type: one type switch per call, then the
/// sampler specialised for the voxel type. For the tightest loops, switch on the `AnyVolume`
/// yourself and use `VolumeSampler<S>` directly.
public enum AnyVolumeSampler: Sendable {
    case uint8(VolumeSampler<UInt8>)
    case int16(VolumeSampler<Int16>)
    case uint16(VolumeSampler<UInt16>)
    case float32(VolumeSampler<Float>)
    case float64(VolumeSampler<Double>)

    /// A sampler over `volume` (see `VolumeSampler.init`).
    public init(_ volume: AnyVolume, interpolation: Interpolation, background: Double = 0) throws(SamplingError) {
        switch volume {
        case .uint8(let v): self = .uint8(try VolumeSampler(v, interpolation: interpolation, background: background))
        case .int16(let v): self = .int16(try VolumeSampler(v, interpolation: interpolation, background: background))
        case .uint16(let v): self = .uint16(try VolumeSampler(v, interpolation: interpolation, background: background))
        case .float32(let v): self = .float32(try VolumeSampler(v, interpolation: interpolation, background: background))
        case .float64(let v): self = .float64(try VolumeSampler(v, interpolation: interpolation, background: background))
        }
    }

    /// The sampled grid.
    public var geometry: VolumeGeometry {
        switch self {
        case .uint8(let s): return s.geometry
        case .int16(let s): return s.geometry
        case .uint16(let s): return s.geometry
        case .float32(let s): return s.geometry
        case .float64(let s): return s.geometry
        }
    }

    /// The continuous voxel index of physical position `p` (mm).
    public func index(ofPhysical p: SIMD3<Double>) -> SIMD3<Double> {
        switch self {
        case .uint8(let s): return s.index(ofPhysical: p)
        case .int16(let s): return s.index(ofPhysical: p)
        case .uint16(let s): return s.index(ofPhysical: p)
        case .float32(let s): return s.index(ofPhysical: p)
        case .float64(let s): return s.index(ofPhysical: p)
        }
    }

    /// The interpolated value at continuous voxel index `p`, or the background outside.
    public func value(atIndex p: SIMD3<Double>) -> Double {
        switch self {
        case .uint8(let s): return s.value(atIndex: p)
        case .int16(let s): return s.value(atIndex: p)
        case .uint16(let s): return s.value(atIndex: p)
        case .float32(let s): return s.value(atIndex: p)
        case .float64(let s): return s.value(atIndex: p)
        }
    }

    /// The interpolated value at physical position `p` (mm), or the background outside.
    public func value(atPhysical p: SIMD3<Double>) -> Double {
        value(atIndex: index(ofPhysical: p))
    }

    /// Samples `start + n * step` (continuous indices), n = 0 ..< count, into `out`; returns
    /// how many were inside (see `VolumeSampler.sample(fromIndex:step:count:into:)`).
    @discardableResult
    public func sample(fromIndex start: SIMD3<Double>, step: SIMD3<Double>, count: Int,
                       into out: UnsafeMutableBufferPointer<Double>) -> Int {
        switch self {
        case .uint8(let s): return s.sample(fromIndex: start, step: step, count: count, into: out)
        case .int16(let s): return s.sample(fromIndex: start, step: step, count: count, into: out)
        case .uint16(let s): return s.sample(fromIndex: start, step: step, count: count, into: out)
        case .float32(let s): return s.sample(fromIndex: start, step: step, count: count, into: out)
        case .float64(let s): return s.sample(fromIndex: start, step: step, count: count, into: out)
        }
    }
}
