/// One framed message: a parsed header and its raw body bytes, not yet interpreted.
///
/// Recording and relaying tools can store or forward frames without decoding bodies;
/// `IGTLMessage(frame:options:)` interprets one.
public struct IGTLFrame: Sendable, Hashable {
    /// The header (BODY_SIZE equals `body.count`).
    public var header: IGTLHeader
    /// The body exactly as received (including the v2 extended header and metadata).
    public var body: [UInt8]

    public init(header: IGTLHeader, body: [UInt8]) {
        self.header = header
        self.body = body
    }

    /// Header and body as they go on the wire.
    public var bytes: [UInt8] { header.encoded() + body }
}
