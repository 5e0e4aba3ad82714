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

extension AnyVolume {
    /// A picture for a quick look: maximum-intensity projections along z, y and x side by side,
    /// enlarged so they are at least `minimumHeight` pixels tall.
    public func previewImage(minimumHeight: Int = 256) -> Image {
        let views = [2, 1, 0].map { maximumIntensityProjection(axis: $0) }
        let tallest = max(1, views.map(\.height).max() ?? 1)
        let factor = max(1, (minimumHeight + tallest - 1) / tallest)
        return Image.montage(views.map { $0.enlarged(by: factor) }, gap: 4 * factor)
    }
}
