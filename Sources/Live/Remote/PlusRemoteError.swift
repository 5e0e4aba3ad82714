/// Why a remote command could not be carried out; `reason` is the text sent back in the reply's
/// `Error` attribute (and shown to the user).
public enum PlusRemoteError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The command text is not a `<Command .../>` element.
    case malformedCommand(String)
    /// A file name attribute names a path outside the remote folder, or one that may not be written.
    case unsafePath(attribute: String, value: String, reason: String)
    /// An attribute value is out of range or unreadable.
    case invalidAttribute(name: String, value: String, reason: String)
    /// Writing or reading a file failed.
    case io(path: String, reason: String)

    /// The message for the reply and the user.
    public var reason: String {
        switch self {
        case .malformedCommand(let why): return why
        case let .unsafePath(attribute, value, why): return "\(attribute)=\"\(value.prefix(200))\" refused: \(why)"
        case let .invalidAttribute(name, value, why): return "\(name)=\"\(value.prefix(200))\" refused: \(why)"
        case let .io(path, why): return "\(path): \(why)"
        }
    }

    public var description: String { reason }
}
