#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks on files a command reads.
public enum InputFile {
    /// Throws unless `path` names an existing regular file (links followed). A folder, FIFO,
    /// device or socket is refused at once, from `stat` alone: nothing is opened, so a FIFO
    /// without a writer is never waited on. `role` names the file in the message
    /// ("recording", "configuration", "ElementDataFile of x.mhd", ...).
    public static func checkRegular(_ path: String, role: String) throws(FileSafetyError) {
        guard !path.isEmpty else { throw .missing(role: role, path: "''", reason: "empty path") }
        guard let (_, kind) = FileIdentity.of(path) else {
            throw .missing(role: role, path: path, reason: "cannot open: \(String(cString: strerror(errno)))")
        }
        guard kind == .regular else { throw .notRegularFile(role: role, path: path, kind: kind.rawValue) }
    }

    /// Opens `path` for reading, refusing anything but a regular file without blocking:
    /// `O_NONBLOCK` keeps a FIFO from stalling the open, and `fstat` on the descriptor checks
    /// the very file opened (no race with a `stat` beforehand). Returns the descriptor.
    public static func openRegular(_ path: String, role: String) throws(FileSafetyError) -> Int32 {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        if fd < 0 { throw .missing(role: role, path: path, reason: "cannot open: \(String(cString: strerror(errno)))") }
        var st = stat()
        if fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
            close(fd)
            let kind = FileIdentity.of(path)?.kind ?? .other
            throw .notRegularFile(role: role, path: path, kind: kind.rawValue)
        }
        // Back to blocking reads for a regular file (O_NONBLOCK has no effect on them anyway).
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return fd
    }
}
