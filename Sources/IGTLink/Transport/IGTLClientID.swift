/// Identifies one client connection of an `IGTLServer` (unique for the server's lifetime).
public struct IGTLClientID: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static func < (a: IGTLClientID, b: IGTLClientID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "#\(rawValue)" }
}
