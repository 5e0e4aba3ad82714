/// A query message: GET_x (request one), STT_x (start streaming), STP_x (stop streaming),
/// RTS_x (reply to STT_/STP_). The content is kept raw (often empty; STT_TDATA carries a
/// resolution and coordinate name).
public struct IGTLQuery: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case get = "GET_", start = "STT_", stop = "STP_", reply = "RTS_"
    }
    public var kind: Kind
    /// The data type asked for, as it appears after the prefix (e.g. `TRANSFOR`, truncated to 8).
    public var dataType: String
    /// Raw content.
    public var content: [UInt8]

    public init(kind: Kind, dataType: String, content: [UInt8] = []) {
        self.kind = kind
        self.dataType = String(decoding: Array(dataType.utf8.prefix(8)), as: UTF8.self)
        self.content = content
    }

    /// The TYPE header field, e.g. `GET_TRANSFOR`.
    public var typeName: String { kind.rawValue + dataType }
}
