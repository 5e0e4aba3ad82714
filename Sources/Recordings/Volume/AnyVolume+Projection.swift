import Imaging

extension AnyVolume {
    /// A maximum-intensity projection along `axis` (see `Volume.maximumIntensityProjection`).
    public func maximumIntensityProjection(axis: Int = 2) -> Image {
        switch self {
        case .uint8(let v): return v.maximumIntensityProjection(axis: axis)
        case .int16(let v): return v.maximumIntensityProjection(axis: axis)
        case .uint16(let v): return v.maximumIntensityProjection(axis: axis)
        case .float32(let v): return v.maximumIntensityProjection(axis: axis)
        case .float64(let v): return v.maximumIntensityProjection(axis: axis)
        }
    }
}
