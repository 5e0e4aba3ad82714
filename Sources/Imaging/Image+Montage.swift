extension Image {
    /// This 8-bit single-component image enlarged `factor` times by pixel replication.
    public func enlarged(by factor: Int) -> Image {
        precondition(components == 1 && scalarType == .uint8, "enlarged(by:) takes 8-bit single-component images")
        guard factor > 1 else { return self }
        let w = width * factor, h = height * factor
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h {
            let src = (y / factor) * width
            for x in 0..<w { out[y * w + x] = bytes[src + x / factor] }
        }
        return Image(width: w, height: h, bytes: out)
    }

    /// 8-bit single-component images side by side, top-aligned, `gap` pixels apart, on black.
    public static func montage(_ images: [Image], gap: Int = 4) -> Image {
        let w = images.reduce(0) { $0 + $1.width } + gap * max(0, images.count - 1)
        let h = images.map(\.height).max() ?? 0
        var out = Image(width: w, height: h)
        var left = 0
        for image in images {
            precondition(image.components == 1 && image.scalarType == .uint8, "montage takes 8-bit single-component images")
            for y in 0..<image.height {
                for x in 0..<image.width { out[left + x, y] = image[x, y] }
            }
            left += image.width + gap
        }
        return out
    }
}
