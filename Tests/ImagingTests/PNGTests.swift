import CZlib
import Foundation
import FreehandTestSupport
import Testing
@testable import Imaging

/// Builds a PNG whose row `y` uses filter `y % 5`, with an independent filter implementation.
func pngWithAllFilters(width: Int, height: Int, colorType: UInt8, channels: Int, pixels: [UInt8], palette: [UInt8] = []) -> [UInt8] {
    let rowBytes = width * channels
    var raw: [UInt8] = []
    for y in 0..<height {
        let type = UInt8(y % 5)
        raw.append(type)
        for i in 0..<rowBytes {
            let x = Int(pixels[y * rowBytes + i])
            let a = i >= channels ? Int(pixels[y * rowBytes + i - channels]) : 0
            let b = y > 0 ? Int(pixels[(y - 1) * rowBytes + i]) : 0
            let c = (y > 0 && i >= channels) ? Int(pixels[(y - 1) * rowBytes + i - channels]) : 0
            let predicted: Int
            switch type {
            case 0: predicted = 0
            case 1: predicted = a
            case 2: predicted = b
            case 3: predicted = (a + b) / 2
            default:
                let p = a + b - c
                let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
                predicted = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            }
            raw.append(UInt8((x - predicted) & 0xff))
        }
    }
    var size = compressBound(UInt(raw.count))
    var z = [UInt8](repeating: 0, count: Int(size))
    _ = compress2(&z, &size, raw, UInt(raw.count), 9)
    z.removeLast(z.count - Int(size))
    func be32(_ v: Int) -> [UInt8] { [UInt8(v >> 24 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }
    var out: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
    func chunk(_ type: String, _ data: [UInt8]) {
        let body = Array(type.utf8) + data
        out += be32(data.count) + body + be32(Int(crc32(0, body, UInt32(body.count))))
    }
    chunk("IHDR", be32(width) + be32(height) + [8, colorType, 0, 0, 0])
    if !palette.isEmpty { chunk("PLTE", palette) }
    // Split the data over two IDAT chunks, as encoders do.
    let half = z.count / 2
    chunk("IDAT", Array(z[..<half]))
    chunk("tEXt", Array("Comment\0test".utf8))
    chunk("IDAT", Array(z[half...]))
    chunk("IEND", [])
    return out
}

@Suite struct PNGTests {
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsImportanceMask() throws {
        let image = try PNG.read(PlusData.path("TestImages/ImportanceMask.png"))
        #expect(image.width == 700 && image.height == 640 && image.components == 1)
        // Values SimpleITK reads from the same file.
        #expect(image[0, 0] == 0 && image[350, 320] == 184)
        var sum: UInt64 = 0, weighted: UInt64 = 0
        for (i, b) in image.bytes.enumerated() { sum += UInt64(b); weighted &+= UInt64(b) * UInt64(i % 65521) }
        #expect(sum == 23_931_933 && weighted == 782_142_320_082)
        // Round trip.
        let back = try PNG.decode(PNG.encode(image))
        #expect(back == image)
    }

    @Test(arguments: [(UInt8(0), 1), (UInt8(2), 3), (UInt8(4), 2), (UInt8(6), 4)])
    func decodesAllFilters(colorType: UInt8, channels: Int) throws {
        let w = 13, h = 11
        let pixels = (0..<(w * h * channels)).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ ($0 / 7) &* 11) }
        let image = try PNG.decode(pngWithAllFilters(width: w, height: h, colorType: colorType, channels: channels, pixels: pixels))
        #expect(image.width == w && image.height == h && image.components == channels)
        #expect(image.bytes == pixels)
    }

    @Test func expandsPalette() throws {
        let palette: [UInt8] = [0, 0, 0, 255, 0, 0, 0, 255, 0, 10, 20, 30]
        let indices: [UInt8] = (0..<(6 * 5)).map { UInt8($0 % 4) }
        let image = try PNG.decode(pngWithAllFilters(width: 6, height: 5, colorType: 3, channels: 1, pixels: indices, palette: palette))
        #expect(image.components == 3)
        #expect(Array(image.bytes[9..<12]) == [10, 20, 30])
    }

    @Test func roundTripsGreyAndRGB() throws {
        let dir = PlusData.temporaryDirectory("freehand-png")
        defer { try? FileManager.default.removeItem(at: dir) }
        for components in [1, 3] {
            let bytes = (0..<(40 * 30 * components)).map { UInt8(truncatingIfNeeded: ($0 % 97) &* 3) }
            let image = Image(width: 40, height: 30, components: components, bytes: bytes)
            let path = dir.appendingPathComponent("i\(components).png").path
            try PNG.write(image, to: path)
            #expect(try PNG.read(path) == image)
        }
    }

    @Test func rejectsCorruptFiles() throws {
        let good = pngWithAllFilters(width: 4, height: 4, colorType: 0, channels: 1, pixels: Array(repeating: 7, count: 16))
        var badCRC = good
        badCRC[20] ^= 1
        #expect(throws: PNG.Error.self) { try PNG.decode(badCRC, file: "x.png") }
        #expect(throws: PNG.Error.self) { try PNG.decode(Array(good.prefix(40)), file: "x.png") }
        #expect(throws: PNG.Error.self) { try PNG.decode([1, 2, 3], file: "x.png") }
        do {
            _ = try PNG.decode(badCRC, file: "x.png")
        } catch {
            #expect(error.description.contains("x.png") && error.description.contains("IHDR"))
        }
        #expect(throws: PNG.Error.self) { try PNG.read("/nonexistent/file.png") }
    }
}
