import Imaging

extension Image {
    /// Re-lays the pixels from `orientation` to MF: a transpose for PLUS's transposed (RF-style)
    /// layouts, then whole-row copies for the y flip and an in-place reversal per row for the x
    /// flip. For the four non-transposed layouts the same call also converts MF back.
    public mutating func flip(from orientation: UltrasoundImageOrientation) {
        if orientation.isTransposed { transpose() }
        if orientation.flipsX { flipX() }
        if orientation.flipsY { flipY() }
    }

    /// Swaps x and y (the image becomes `height` x `width`), in cache-friendly tiles.
    public mutating func transpose() {
        let w = width, h = height, p = components * scalarType.byteCount
        var out = [UInt8](repeating: 0, count: bytes.count)
        bytes.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                guard let s = src.baseAddress, let d = dst.baseAddress else { return }
                let tile = 32
                for y0 in stride(from: 0, to: h, by: tile) {
                    for x0 in stride(from: 0, to: w, by: tile) {
                        if p == 1 {
                            let s8 = s.assumingMemoryBound(to: UInt8.self), d8 = d.assumingMemoryBound(to: UInt8.self)
                            for x in x0..<min(x0 + tile, w) {
                                for y in y0..<min(y0 + tile, h) { d8[x * h + y] = s8[y * w + x] }
                            }
                        } else {
                            for y in y0..<min(y0 + tile, h) {
                                for x in x0..<min(x0 + tile, w) {
                                    (d + (x * h + y) * p).copyMemory(from: s + (y * w + x) * p, byteCount: p)
                                }
                            }
                        }
                    }
                }
            }
        }
        bytes = out
        width = h
        height = w
    }

    /// Mirrors each row (x -> width-1-x).
    public mutating func flipX() {
        let w = width, rowBytes = self.rowBytes, pixelBytes = components * scalarType.byteCount
        guard w > 1 else { return }
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            for y in 0..<height {
                let row = base + y * rowBytes
                if pixelBytes == 1 {
                    var p = UnsafeMutableBufferPointer(start: row.assumingMemoryBound(to: UInt8.self), count: w); p.reverse()
                } else if pixelBytes == 2 {
                    var p = UnsafeMutableBufferPointer(start: row.assumingMemoryBound(to: UInt16.self), count: w); p.reverse()
                } else if pixelBytes == 4 {
                    var p = UnsafeMutableBufferPointer(start: row.assumingMemoryBound(to: UInt32.self), count: w); p.reverse()
                } else if pixelBytes == 8 {
                    var p = UnsafeMutableBufferPointer(start: row.assumingMemoryBound(to: UInt64.self), count: w); p.reverse()
                } else {
                    let tmp = UnsafeMutableRawPointer.allocate(byteCount: pixelBytes, alignment: 8)
                    defer { tmp.deallocate() }
                    var a = 0, b = w - 1
                    while a < b {
                        tmp.copyMemory(from: row + a * pixelBytes, byteCount: pixelBytes)
                        (row + a * pixelBytes).copyMemory(from: row + b * pixelBytes, byteCount: pixelBytes)
                        (row + b * pixelBytes).copyMemory(from: tmp, byteCount: pixelBytes)
                        a += 1; b -= 1
                    }
                }
            }
        }
    }

    /// Mirrors the rows (y -> height-1-y) by swapping whole rows.
    public mutating func flipY() {
        let h = height, rowBytes = self.rowBytes
        guard h > 1, rowBytes > 0 else { return }
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            let tmp = UnsafeMutableRawPointer.allocate(byteCount: rowBytes, alignment: 16)
            defer { tmp.deallocate() }
            var a = 0, b = h - 1
            while a < b {
                tmp.copyMemory(from: base + a * rowBytes, byteCount: rowBytes)
                (base + a * rowBytes).copyMemory(from: base + b * rowBytes, byteCount: rowBytes)
                (base + b * rowBytes).copyMemory(from: tmp, byteCount: rowBytes)
                a += 1; b -= 1
            }
        }
    }
}
