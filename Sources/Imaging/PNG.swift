#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CZlib
import FileSafety

/// Reads and writes PNG images (ISO/IEC 15948) with zlib, for masks and frame snapshots.
///
/// Reading: 8-bit greyscale, greyscale+alpha, RGB, RGBA and palette images (expanded to RGB),
/// non-interlaced, all five row filters, CRCs checked. Writing: 8-bit images of 1 (grey),
/// 2 (grey+alpha), 3 (RGB) or 4 (RGBA) components.
///
/// PNG rows run top to bottom, stored in `Image` as they come (row 0 = top).
public enum PNG {
    static let signature: [UInt8] = [137, 80, 78, 71, 13, 10, 26, 10]
    /// Largest accepted width or height (the PNG limit is 2^31 - 1; this bounds memory use).
    public static let maxDimension = 1 << 16

    /// Why a PNG file could not be read or written; messages name the file and the chunk or field.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        case io(file: String, message: String)
        case invalid(file: String, field: String, message: String)
        case unsupported(file: String, field: String, value: String)

        public var description: String {
            switch self {
            case let .io(file, message): return "\(file): \(message)"
            case let .invalid(file, field, message): return "\(file): PNG \(field): \(message)"
            case let .unsupported(file, field, value): return "\(file): PNG \(field) = \(value) is not supported"
            }
        }
    }

    /// Reads the whole file into memory (PNG files are small; the size is checked first).
    static func readFile(_ path: String, limit: Int = 1 << 30) throws(PNG.Error) -> [UInt8] {
        do throws(FileSafetyError) { try InputFile.checkRegular(path, role: "PNG image") } catch {
            throw .io(file: path, message: error.reason)
        }
        guard let f = fopen(path, "rb") else { throw .io(file: path, message: "cannot open: \(String(cString: strerror(errno)))") }
        defer { fclose(f) }
        fseeko(f, 0, SEEK_END)
        let size = Int(ftello(f))
        fseeko(f, 0, SEEK_SET)
        if size < 0 || size > limit { throw .io(file: path, message: "file size \(size) is out of range") }
        var bytes = [UInt8](repeating: 0, count: size)
        let n = bytes.withUnsafeMutableBytes { fread($0.baseAddress, 1, size, f) }
        if n != size { throw .io(file: path, message: "read \(n) of \(size) bytes") }
        return bytes
    }

    static func writeFile(_ bytes: [UInt8], to path: String) throws(PNG.Error) {
        do throws(FileSafetyError) { try AtomicOutput.write(bytes, to: path) } catch {
            throw .io(file: path, message: error.reason)
        }
    }

    /// CRC-32 of `type` + `data`, as PNG chunks carry it.
    static func crc(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, UInt32($0.count))) }
    }
}
