import Imaging

extension Image {
    /// Re-lays the pixels from `orientation` to MF (or back: each flip is its own inverse), with
    /// whole-row copies for the y flip and an in-place reversal per row for the x flip.
    public mutating func flip(from orientation: UltrasoundImageOrientation) {
        if orientation.flipsX { flipX() }
        if orientation.flipsY { flipY() }
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

extension Array where Element == UInt8 {
    /// Reverses the byte order of every `width`-byte scalar (big-endian files on little-endian machines).
    mutating func swapByteOrder(scalarWidth width: Int) {
        guard width > 1 else { return }
        withUnsafeMutableBytes { raw in
            switch width {
            case 2:
                let p = raw.bindMemory(to: UInt16.self)
                for i in p.indices { p[i] = p[i].byteSwapped }
            case 4:
                let p = raw.bindMemory(to: UInt32.self)
                for i in p.indices { p[i] = p[i].byteSwapped }
            case 8:
                let p = raw.bindMemory(to: UInt64.self)
                for i in p.indices { p[i] = p[i].byteSwapped }
            default:
                break
            }
        }
    }
}
