#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a file as a whole or not at all: to a temporary name in the same folder, then renamed
/// over the destination, so a failed write never leaves a half-written file.
enum AtomicFileWriter {
    /// Writes `bytes` to `path`; the error text says why not (errno).
    static func write(_ bytes: [UInt8], to path: String) -> String? {
        let temporary = path + ".partial-\(getpid())"
        guard let f = fopen(temporary, "w") else { return String(cString: strerror(errno)) }
        let n = fwrite(bytes, 1, bytes.count, f)
        let closed = fclose(f)
        guard n == bytes.count, closed == 0 else { unlink(temporary); return "short write" }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            return reason
        }
        return nil
    }
}
