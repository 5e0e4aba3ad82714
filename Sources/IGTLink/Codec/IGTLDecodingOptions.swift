/// Limits and checks applied to incoming messages.
public struct IGTLDecodingOptions: Sendable, Hashable {
    /// Largest BODY_SIZE accepted (bytes). Larger messages are rejected from the header alone,
    /// before any allocation, and the connection is closed. Default 64 MiB (a 4096x4096 RGBA frame).
    public var maxBodySize: Int = 64 << 20
    /// Verify the CRC when the header carries a non-zero one.
    public var verifyCRC: Bool = true
    /// Reject messages whose CRC field is zero. Off by default: PLUS (CRC check off by default)
    /// and some other senders leave it zero.
    public var requireCRC: Bool = false
    /// Detect IMAGE pixel data that is little-endian although the endian field says big
    /// (senders that never set the field); see `IGTLImage` for the heuristic.
    public var correctMislabelledEndianness: Bool = true

    public init(maxBodySize: Int = 64 << 20, verifyCRC: Bool = true, requireCRC: Bool = false, correctMislabelledEndianness: Bool = true) {
        self.maxBodySize = maxBodySize
        self.verifyCRC = verifyCRC
        self.requireCRC = requireCRC
        self.correctMislabelledEndianness = correctMislabelledEndianness
    }

    /// The default options.
    public static let standard = IGTLDecodingOptions()
}
