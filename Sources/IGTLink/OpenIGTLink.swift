/// OpenIGTLink for Freehand: talk to PlusServer, 3D Slicer and other OpenIGTLink peers.
///
/// Layers (folders):
/// - `CLayer`: the only calls into libOpenIGTLink's C layer (header and body byte order, CRC-64).
/// - `Codec`: pure value-level framing and coding, no I/O. `IGTLHeader` (58 bytes), `IGTLFrame`
///   (header + raw body), `IGTLStreamDecoder` (incremental, bounded, hostile-input safe: the one
///   decoder, fuzzed, used by the transport and for recorded byte streams),
///   `IGTLMessage.encoded(headerVersion:)`, `IGTLError`.
/// - `Messages`: `IGTLMessage` = header fields + `IGTLBody` (IMAGE, TRANSFORM, POSITION, TDATA,
///   STATUS, STRING, COMMAND, RTS_COMMAND, GET_/STT_/STP_/RTS_ queries, unknown types raw) and
///   conversions between `IGTLImage` and `Imaging.Image` + an image-to-reference transform.
/// - `Transport`: `IGTLClient` and `IGTLServer` on SwiftNIO, both delivering `AsyncStream`s;
///   `IGTLStreamDecoder` is their `ByteToMessageDecoder`. Network log lines go to swift-log
///   (label "freehand.igtl", debug level).
public enum OpenIGTLink {
    /// The port PlusServer and 3D Slicer use by default.
    public static let defaultPort = 18944
}
