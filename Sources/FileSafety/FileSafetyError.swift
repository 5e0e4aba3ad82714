/// Why an input could not be used or an output could not be written safely.
///
/// Messages name every path involved, so the user knows which argument to change.
public enum FileSafetyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input does not exist or cannot be inspected.
    case missing(role: String, path: String, reason: String)
    /// The input (or an output's existing entry) is a folder, FIFO, device or socket.
    case notRegularFile(role: String, path: String, kind: String)
    /// An output would replace an input, or two outputs are the same file.
    case sameFile(output: String, outputPath: String, other: String, otherPath: String)
    /// Writing the temporary file or renaming it into place failed; nothing was left behind.
    case writeFailed(path: String, reason: String)

    /// The message without the leading path, for errors that name the file themselves.
    public var reason: String {
        switch self {
        case let .missing(_, _, reason): return reason
        case let .notRegularFile(role, _, kind): return "the \(role) is \(kind), not a regular file; refused without reading"
        case let .writeFailed(_, reason): return "write failed: \(reason) (no partial file was left behind)"
        case .sameFile: return description
        }
    }

    public var description: String {
        switch self {
        case let .missing(role, path, reason):
            return "\(role) \(path): \(reason)"
        case let .notRegularFile(role, path, kind):
            return "\(role) \(path) is \(kind), not a regular file; refusing it (nothing was read or waited on)"
        case let .sameFile(output, outputPath, other, otherPath):
            return "\(output) \(outputPath) is the same file as the \(other) \(otherPath); refusing to overwrite it. Choose another output name"
        case let .writeFailed(path, reason):
            return "\(path): write failed: \(reason) (no partial file was left behind)"
        }
    }
}
