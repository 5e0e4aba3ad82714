import CZlib

extension PNG {
    /// Reads an 8-bit PNG. Palette images become RGB; other colour types keep their channels
    /// (grey 1, grey+alpha 2, RGB 3, RGBA 4).
    public static func read(_ path: String) throws(PNG.Error) -> Image {
        try decode(readFile(path), file: path)
    }

    /// Decodes PNG bytes (`file` names the source in errors).
    public static func decode(_ bytes: [UInt8], file: String = "<memory>") throws(PNG.Error) -> Image {
        guard bytes.count >= 8, Array(bytes[0..<8]) == signature else {
            throw .invalid(file: file, field: "signature", message: "not a PNG file")
        }
        func be32(_ i: Int) -> Int { Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3]) }
        var width = 0, height = 0, colorType = -1
        var palette: [UInt8] = []
        var compressed: [UInt8] = []
        var position = 8
        var sawEnd = false
        while position < bytes.count, !sawEnd {
            guard position + 12 <= bytes.count else { throw .invalid(file: file, field: "chunk at \(position)", message: "truncated chunk header") }
            let length = be32(position)
            let type = String(decoding: bytes[(position + 4)..<(position + 8)], as: UTF8.self)
            guard length >= 0, length <= bytes.count - position - 12 else {
                throw .invalid(file: file, field: "\(type) chunk", message: "length \(length) runs past the end of the file")
            }
            let dataStart = position + 8
            let data = bytes[dataStart..<(dataStart + length)]
            let stored = UInt32(be32(dataStart + length))
            if crc(bytes[(position + 4)..<(dataStart + length)]) != stored {
                throw .invalid(file: file, field: "\(type) chunk", message: "CRC mismatch")
            }
            switch type {
            case "IHDR":
                guard length == 13 else { throw .invalid(file: file, field: "IHDR", message: "length \(length), expected 13") }
                width = be32(dataStart); height = be32(dataStart + 4)
                let depth = Int(bytes[dataStart + 8]); colorType = Int(bytes[dataStart + 9])
                guard (1...maxDimension).contains(width), (1...maxDimension).contains(height) else {
                    throw .invalid(file: file, field: "IHDR size", message: "\(width)x\(height) is outside 1...\(maxDimension)")
                }
                guard depth == 8 else { throw .unsupported(file: file, field: "IHDR bit depth", value: "\(depth)") }
                guard [0, 2, 3, 4, 6].contains(colorType) else { throw .unsupported(file: file, field: "IHDR colour type", value: "\(colorType)") }
                guard bytes[dataStart + 10] == 0, bytes[dataStart + 11] == 0 else {
                    throw .unsupported(file: file, field: "IHDR compression/filter method", value: "\(bytes[dataStart + 10])/\(bytes[dataStart + 11])")
                }
                guard bytes[dataStart + 12] == 0 else { throw .unsupported(file: file, field: "IHDR interlace", value: "Adam7") }
            case "PLTE":
                guard length % 3 == 0, length <= 768 else { throw .invalid(file: file, field: "PLTE", message: "length \(length)") }
                palette = Array(data)
            case "IDAT":
                guard colorType >= 0 else { throw .invalid(file: file, field: "IDAT", message: "image data before IHDR") }
                compressed.append(contentsOf: data)
            case "IEND":
                sawEnd = true
            default:
                // Ancillary chunks (lower-case first letter) are skipped; unknown critical ones are not.
                if let first = type.utf8.first, first & 0x20 == 0 {
                    throw .unsupported(file: file, field: "critical chunk", value: type)
                }
            }
            position = dataStart + length + 4
        }
        guard colorType >= 0 else { throw .invalid(file: file, field: "IHDR", message: "missing") }
        guard !compressed.isEmpty else { throw .invalid(file: file, field: "IDAT", message: "missing") }
        if colorType == 3, palette.isEmpty { throw .invalid(file: file, field: "PLTE", message: "missing for a palette image") }

        let channels = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][colorType]!
        let rowBytes = width * channels
        let expected = height * (rowBytes + 1)
        var filtered = [UInt8](repeating: 0, count: expected)
        var produced = UInt(expected)
        let rc = filtered.withUnsafeMutableBufferPointer { out in
            compressed.withUnsafeBufferPointer { input in
                uncompress(out.baseAddress, &produced, input.baseAddress, UInt(input.count))
            }
        }
        if rc == Z_BUF_ERROR && produced == UInt(expected) {
            // More data than the image needs: tolerated, as libpng does (with a warning).
        } else if rc != Z_OK {
            throw .invalid(file: file, field: "IDAT", message: "zlib error \(rc)")
        }
        if Int(produced) != expected {
            throw .invalid(file: file, field: "IDAT", message: "decompressed \(produced) bytes, expected \(expected)")
        }

        var pixels = [UInt8](repeating: 0, count: height * rowBytes)
        var badFilter: (row: Int, type: UInt8)?
        filtered.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                badFilter = unfilter(src, into: dst, width: width, height: height, bpp: channels)
            }
        }
        if let badFilter {
            throw .invalid(file: file, field: "row \(badFilter.row) filter", message: "unknown filter type \(badFilter.type)")
        }
        if colorType == 3 {
            let entries = palette.count / 3
            var rgb = [UInt8](repeating: 0, count: width * height * 3)
            var bad = -1
            rgb.withUnsafeMutableBufferPointer { out in
                palette.withUnsafeBufferPointer { pal in
                    for i in 0..<(width * height) {
                        let p = Int(pixels[i])
                        if p >= entries { bad = p; return }
                        out[3 * i] = pal[3 * p]; out[3 * i + 1] = pal[3 * p + 1]; out[3 * i + 2] = pal[3 * p + 2]
                    }
                }
            }
            if bad >= 0 { throw .invalid(file: file, field: "IDAT", message: "palette index \(bad) beyond \(entries) entries") }
            return Image(width: width, height: height, components: 3, bytes: rgb)
        }
        return Image(width: width, height: height, components: channels, bytes: pixels)
    }

    /// Undoes the per-row filters; returns the first bad filter type, if any.
    private static func unfilter(_ src: UnsafeBufferPointer<UInt8>, into dst: UnsafeMutableBufferPointer<UInt8>,
                                 width: Int, height: Int, bpp: Int) -> (row: Int, type: UInt8)? {
        let rowBytes = width * bpp
        let s = src.baseAddress!, d = dst.baseAddress!
        for y in 0..<height {
            let type = s[y * (rowBytes + 1)]
            let line = s + y * (rowBytes + 1) + 1
            let out = d + y * rowBytes
            let prior: UnsafeMutablePointer<UInt8>? = y > 0 ? d + (y - 1) * rowBytes : nil
            switch type {
            case 0:
                out.update(from: line, count: rowBytes)
            case 1:
                for i in 0..<rowBytes { out[i] = line[i] &+ (i >= bpp ? out[i - bpp] : 0) }
            case 2:
                if let prior { for i in 0..<rowBytes { out[i] = line[i] &+ prior[i] } }
                else { out.update(from: line, count: rowBytes) }
            case 3:
                for i in 0..<rowBytes {
                    let a = i >= bpp ? Int(out[i - bpp]) : 0
                    let b = prior.map { Int($0[i]) } ?? 0
                    out[i] = line[i] &+ UInt8((a + b) >> 1)
                }
            case 4:
                for i in 0..<rowBytes {
                    let a = i >= bpp ? Int(out[i - bpp]) : 0
                    let b = prior.map { Int($0[i]) } ?? 0
                    let c = (i >= bpp ? prior.map { Int($0[i - bpp]) } : nil) ?? 0
                    let p = a + b - c
                    let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                    let predictor = (pa <= pb && pa <= pc) ? a : (pb <= pc ? b : c)
                    out[i] = line[i] &+ UInt8(predictor)
                }
            default:
                return (y, type)
            }
        }
        return nil
    }
}
