extension Volume {
    /// A maximum-intensity projection along `axis` (0 = x, 1 = y, 2 = z), as an 8-bit image
    /// scaled so the volume's largest value maps to 255 (values below 0 map to 0).
    ///
    /// Projecting along z gives an image of width `dimensions.x` and height `dimensions.y`;
    /// along y, `x` by `z`; along x, `y` by `z`. Row 0 is the lowest coordinate of the second axis.
    public func maximumIntensityProjection(axis: Int = 2) -> Image {
        precondition((0...2).contains(axis), "axis must be 0, 1 or 2")
        let d = geometry.dimensions
        let (w, h): (Int, Int) = axis == 2 ? (d.x, d.y) : axis == 1 ? (d.x, d.z) : (d.y, d.z)
        var projection = [Double](repeating: 0, count: w * h)
        voxels.withUnsafeBufferPointer { v in
            for k in 0..<d.z {
                for j in 0..<d.y {
                    let row = (k * d.y + j) * d.x
                    for i in 0..<d.x {
                        let value = v[row + i].doubleValue
                        let p: Int
                        switch axis {
                        case 2: p = j * w + i
                        case 1: p = k * w + i
                        default: p = k * w + j
                        }
                        if value > projection[p] { projection[p] = value }
                    }
                }
            }
        }
        let peak = projection.max() ?? 0
        return Image(width: w, height: h, bytes: projection.map { value in
            peak > 0 ? UInt8(max(0, min(255, (value * 255 / peak).rounded()))) : 0
        })
    }
}
