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
