#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Writes files the safe way: to a fresh temporary name in the destination's folder (so the
/// final `rename` is atomic on the same file system), renamed into place only when complete.
/// On any failure the temporary file is removed, so a full disk or an exceeded file-size limit
/// leaves neither a half-written destination nor a `.partial` file.
public enum AtomicOutput {
    private static let counter = Atomic<Int>(0)

    /// A file-size limit (`ulimit -f`) normally kills the process with SIGXFSZ before the write
    /// can fail and be cleaned up; ignoring the signal turns it into an `EFBIG` error instead.
    private static let fileSizeSignalIgnored: Bool = {
        signal(SIGXFSZ, SIG_IGN)
        return true
    }()

    /// A name for a temporary file beside `path`: `<path>.partial-<pid>-<n>`, unique within this
    /// process and, through the process id, among processes.
    public static func temporaryPath(for path: String) -> String {
        _ = fileSizeSignalIgnored
        let n = counter.add(1, ordering: .relaxed).newValue
        return "\(path).partial-\(getpid())-\(n)"
    }

    /// Creates a new temporary file beside `path` (exclusively: never an existing file) and
    /// returns its path and an open read-write descriptor.
    public static func createTemporary(for path: String) throws(FileSafetyError) -> (path: String, descriptor: Int32) {
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw .writeFailed(path: path, reason: "cannot create \(temporary): \(String(cString: strerror(errno)))") }
        return (temporary, fd)
    }

    /// Renames the finished `temporary` over `path`; removes `temporary` when that fails.
    public static func commit(_ temporary: String, to path: String) throws(FileSafetyError) {
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .writeFailed(path: path, reason: "cannot rename \(temporary) into place: \(reason)")
        }
    }

    /// Removes a temporary file after a failed write (a missing file is fine).
    public static func discard(_ temporary: String) {
        unlink(temporary)
    }

    /// Writes `bytes` to `path` through a temporary file.
    public static func write(_ bytes: [UInt8], to path: String) throws(FileSafetyError) {
        let (temporary, fd) = try createTemporary(for: path)
        var done = 0
        var failure: String?
        bytes.withUnsafeBytes { raw in
            while done < raw.count {
                let n = Glibc_write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                done += n
            }
        }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            discard(temporary)
            throw .writeFailed(path: path, reason: failure)
        }
        try commit(temporary, to: path)
    }

    /// Writes `text` (UTF-8) to `path` through a temporary file.
    public static func write(_ text: String, to path: String) throws(FileSafetyError) {
        try write(Array(text.utf8), to: path)
    }
}

@inline(__always) private func Glibc_write(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int { write(fd, p, n) }
