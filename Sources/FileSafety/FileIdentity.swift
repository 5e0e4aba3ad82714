import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file's identity on this machine: device and inode number, with symbolic links and `./`,
/// `../` followed, so two spellings of one file compare equal.
public struct FileIdentity: Sendable, Hashable {
    /// `st_dev`.
    public var device: UInt64
    /// `st_ino`.
    public var inode: UInt64

    /// What kind of entry a path names.
    public enum Kind: String, Sendable {
        case regular = "a regular file"
        case directory = "a folder"
        case fifo = "a FIFO (named pipe)"
        case characterDevice = "a character device"
        case blockDevice = "a block device"
        case socket = "a socket"
        case other = "a special file"
    }

    /// The identity and kind of the entry at `path` (links followed), or nil when nothing is
    /// there. Uses `stat` only: nothing is opened, so a FIFO is never waited on.
    public static func of(_ path: String) -> (identity: FileIdentity, kind: Kind)? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let kind: Kind
        switch st.st_mode & S_IFMT {
        case S_IFREG: kind = .regular
        case S_IFDIR: kind = .directory
        case S_IFIFO: kind = .fifo
        case S_IFCHR: kind = .characterDevice
        case S_IFBLK: kind = .blockDevice
        case S_IFSOCK: kind = .socket
        default: kind = .other
        }
        return (FileIdentity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)), kind)
    }

    /// Whether two paths name the same file: the same device and inode when both exist (links,
    /// `./` and `../` followed), else the same absolute path.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        if let x = of(a), let y = of(b) { return x.identity == y.identity }
        return absolute(a) == absolute(b)
    }

    /// `path` made absolute against the current folder (not resolved further).
    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let cwd = FileManager.default.currentDirectoryPath
        return cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    /// The folder holding `path` (`.` for a bare name).
    public static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = String(path[..<slash])
        return folder.isEmpty ? "/" : folder
    }

    /// The last path component.
    public static func name(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
