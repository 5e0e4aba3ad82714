/// Transport-level failures of `IGTLClient` and `IGTLServer`.
public enum IGTLTransportError: Error, Sendable, CustomStringConvertible {
    /// `send` was called while no connection is up.
    case notConnected(host: String, port: Int)
    /// The client was closed.
    case closed
    /// No client with this id is connected.
    case unknownClient(IGTLClientID)

    public var description: String {
        switch self {
        case .notConnected(let host, let port): return "not connected to OpenIGTLink server \(host):\(port)"
        case .closed: return "OpenIGTLink connection closed"
        case .unknownClient(let id): return "no OpenIGTLink client \(id) is connected"
        }
    }
}

/// Identifies one client connection of an `IGTLServer` (unique for the server's lifetime).
public struct IGTLClientID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: IGTLClientID, b: IGTLClientID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}
