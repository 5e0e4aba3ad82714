import CZlib

extension PNG {
    /// Writes an 8-bit image with 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA) components.
    /// Each row is stored with the Paeth filter or unfiltered, whichever gives the smaller sum of
    /// absolute (signed) filtered bytes, the heuristic the PNG specification recommends.
    public static func write(_ image: Image, to path: String) throws(PNG.Error) {
        try writeFile(encode(image, file: path), to: path)
    }

    /// Encodes an image as PNG bytes (`file` names the destination in errors).
    public static func encode(_ image: Image, file: String = "<memory>") throws(PNG.Error) -> [UInt8] {
        guard image.scalarType == .uint8 else { throw .unsupported(file: file, field: "sample type", value: "\(image.scalarType)") }
        guard let colorType = [1: 0, 2: 4, 3: 2, 4: 6][image.components] else {
            throw .unsupported(file: file, field: "components", value: "\(image.components)")
        }
        guard image.width >= 1, image.height >= 1, image.width <= maxDimension, image.height <= maxDimension else {
            throw .unsupported(file: file, field: "size", value: "\(image.width)x\(image.height)")
        }
        let bpp = image.components
        let rowBytes = image.rowBytes
        var filtered = [UInt8](repeating: 0, count: image.height * (rowBytes + 1))
        image.bytes.withUnsafeBufferPointer { src in
            filtered.withUnsafeMutableBufferPointer { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                var candidate = [UInt8](repeating: 0, count: rowBytes)
                for y in 0..<image.height {
                    let row = s + y * rowBytes
                    let out = d + y * (rowBytes + 1)
                    // Filter 0 (none) vs 4 (Paeth): keep the one with the smaller sum of |signed bytes|.
                    var costNone = 0, costPaeth = 0
                    for i in 0..<rowBytes {
                        let a = i >= bpp ? Int(row[i - bpp]) : 0
                        let b = y > 0 ? Int(row[i - rowBytes]) : 0
                        let c = (i >= bpp && y > 0) ? Int(row[i - rowBytes - bpp]) : 0
                        let p = a + b - c
                        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                        let predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                        let v = row[i] &- UInt8(predictor)
                        candidate[i] = v
                        costPaeth += Int(min(v, 0 &- v))
                        costNone += Int(min(row[i], 0 &- row[i]))
                    }
                    if costPaeth < costNone {
                        out[0] = 4
                        candidate.withUnsafeBufferPointer { (out + 1).update(from: $0.baseAddress!, count: rowBytes) }
                    } else {
                        out[0] = 0
                        (out + 1).update(from: row, count: rowBytes)
                    }
                }
            }
        }
        var compressedSize = compressBound(UInt(filtered.count))
        var compressed = [UInt8](repeating: 0, count: Int(compressedSize))
        let rc = compressed.withUnsafeMutableBufferPointer { out in
            filtered.withUnsafeBufferPointer { input in
                compress2(out.baseAddress, &compressedSize, input.baseAddress, UInt(input.count), 6)
            }
        }
        if rc != Z_OK { throw .io(file: file, message: "zlib compression failed (\(rc))") }
        compressed.removeLast(compressed.count - Int(compressedSize))

        var out = signature
        func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
        func chunk(_ type: String, _ data: [UInt8]) {
            out += be32(data.count)
            let start = out.count
            out += Array(type.utf8)
            out += data
            out += be32(Int(crc(out[start...])))
        }
        chunk("IHDR", be32(image.width) + be32(image.height) + [8, UInt8(colorType), 0, 0, 0])
        chunk("IDAT", compressed)
        chunk("IEND", [])
        return out
    }
}
