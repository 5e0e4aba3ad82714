import FileSafety
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one folder remote commands may write into (PlusServer's output directory): a file name
/// from the network (`OutputVolFilename`, `OutputFilename`) is accepted only as a relative path
/// inside it, with no `..`, no absolute path, no backslash or control character, a file type of
/// the command's kind, an existing folder that does not lead outside through a symbolic link, no
/// link or special file at the name, and never one of the session's inputs (`protectedPaths`).
public struct PlusRemoteFolder: Sendable {
    /// The folder, resolved (symbolic links followed).
    public let path: String
    /// Files remote commands must never replace (configuration, calibration, recordings read,
    /// the session's own output volume).
    public let protectedPaths: [String]

    /// The folder `path` (which must exist) protecting `protectedPaths`.
    public init(path: String, protecting protectedPaths: [String] = []) throws(PlusRemoteError) {
        guard let real = Self.realPath(path), FileIdentity.of(real)?.kind == .directory else {
            throw .io(path: path, reason: "the remote folder does not exist or is not a folder")
        }
        self.path = real
        self.protectedPaths = protectedPaths
    }

    /// The path `value` (attribute `attribute` of a command) names inside the folder, checked as
    /// described above; `fileTypes` are the accepted endings (lower case, e.g. `.nrrd`); `extra`
    /// are more files it must not be (the command's input, a running recording's files).
    public func resolve(_ value: String, attribute: String, fileTypes: [String], protecting extra: [String] = []) throws(PlusRemoteError) -> String {
        func refuse(_ why: String) -> PlusRemoteError { .unsafePath(attribute: attribute, value: value, reason: why) }
        guard !value.isEmpty else { throw refuse("the name is empty") }
        guard value.utf8.count <= 1024 else { throw refuse("the name is longer than 1024 bytes") }
        guard !value.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw refuse("control characters are not accepted")
        }
        guard !value.contains("\\") else { throw refuse("backslashes are not accepted (use / between folders)") }
        let first = value.unicodeScalars.first!
        let drive = value.count >= 2 && value.dropFirst().first == ":"
        guard first != "/", first != "~", !drive else {
            throw refuse("absolute paths are not accepted: give a name relative to the remote folder \(path)")
        }
        let parts = value.split(separator: "/").filter { $0 != "." }
        guard !parts.contains("..") else { throw refuse("'..' is not accepted: files stay inside the remote folder \(path)") }
        guard let last = parts.last, fileTypes.contains(where: { last.lowercased().hasSuffix($0) && last.count > $0.count }) else {
            throw refuse("the name must end in \(fileTypes.joined(separator: ", "))")
        }
        let candidate = ([path] + parts.map(String.init)).joined(separator: "/")
        let folder = FileIdentity.folder(of: candidate)
        guard let realFolder = Self.realPath(folder), FileIdentity.of(realFolder)?.kind == .directory else {
            throw refuse("its folder does not exist inside the remote folder \(path)")
        }
        guard realFolder == path || realFolder.hasPrefix(path.hasSuffix("/") ? path : path + "/") else {
            throw refuse("its folder leads outside the remote folder \(path) (symbolic link)")
        }
        var st = stat()
        if lstat(candidate, &st) == 0, st.st_mode & S_IFMT != S_IFREG {
            throw refuse("\(candidate) exists and is not a regular file (a link, folder or special file)")
        }
        var guardian = PathGuard()
        for p in protectedPaths + extra {
            if FileIdentity.of(p)?.kind == .regular { guardian.input("session file", p) } else { guardian.output("session file", p, createsFolder: true) }
        }
        guardian.output(attribute, candidate)
        do { try guardian.check() } catch { throw refuse(error.description) }
        return candidate
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
