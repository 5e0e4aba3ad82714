/// Everything that can go wrong when framing, decoding or encoding OpenIGTLink messages.
///
/// Errors for which `isFatal` is false concern one message only: a stream decoder skips that
/// message and carries on. Fatal errors mean the byte stream can no longer be trusted (the
/// framing is lost); the connection must be closed.
public enum IGTLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Header field V is neither 1 nor 2.
    case unsupportedHeaderVersion(UInt16)
    /// The TYPE header field holds bytes that are not printable ASCII (the stream is garbage).
    case invalidTypeName([UInt8])
    /// BODY_SIZE exceeds the configured limit; rejected before anything is allocated.
    case bodyTooLarge(IGTLMessageContext, bodySize: UInt64, limit: Int)
    /// The CRC in the header does not match the body.
    case crcMismatch(IGTLMessageContext, header: UInt64, computed: UInt64)
    /// The header's CRC field is zero but the decoder requires a CRC.
    case missingCRC(IGTLMessageContext)
    /// A field needs more bytes than the body has.
    case truncated(IGTLMessageContext, field: String, needed: Int, available: Int)
    /// A field holds a value the protocol does not allow (or this implementation cannot represent).
    case invalidValue(IGTLMessageContext, field: String, reason: String)
    /// A matrix, position or quaternion holds NaN or infinity (TRANSFORM, TDATA, POSITION, IMAGE).
    /// The message is dropped: a pose that is not finite must never reach a volume or a file.
    case nonFinite(IGTLMessageContext, field: String)
    /// A text field is not valid in its declared encoding (e.g. bad UTF-8).
    case invalidText(IGTLMessageContext, field: String, encoding: UInt16)
    /// The version 2 extended header or metadata sizes contradict BODY_SIZE or each other.
    case inconsistentMetadata(IGTLMessageContext, field: String, reason: String)
    /// The message type exists only with header version 2 (COMMAND, RTS_COMMAND).
    case headerVersion2Required(IGTLMessageContext)
    /// A stream decoder was used again after it had thrown a fatal error.
    case streamPoisoned

    /// Whether the stream must be closed (true) or only this message skipped (false).
    public var isFatal: Bool {
        switch self {
        case .unsupportedHeaderVersion, .invalidTypeName, .bodyTooLarge, .streamPoisoned: return true
        default: return false
        }
    }

    /// Whether the message was dropped because a pose or image matrix is not finite (count
    /// these separately: they mean the tracker or sender lost the pose, not a broken stream).
    public var isNonFinite: Bool {
        if case .nonFinite = self { return true }
        return false
    }

    /// The message the error is about, when known.
    public var context: IGTLMessageContext? {
        switch self {
        case .bodyTooLarge(let c, _, _), .crcMismatch(let c, _, _), .missingCRC(let c), .truncated(let c, _, _, _),
             .invalidValue(let c, _, _), .nonFinite(let c, _), .invalidText(let c, _, _), .inconsistentMetadata(let c, _, _),
             .headerVersion2Required(let c):
            return c
        case .unsupportedHeaderVersion, .invalidTypeName, .streamPoisoned:
            return nil
        }
    }

    public var description: String {
        switch self {
        case .unsupportedHeaderVersion(let v):
            return "OpenIGTLink header field V is \(v); only header versions 1 and 2 exist (stream out of sync or not OpenIGTLink)"
        case .invalidTypeName(let bytes):
            return "OpenIGTLink header field TYPE is not printable ASCII (bytes \(bytes.map { String($0, radix: 16) }.joined(separator: " "))); stream out of sync or not OpenIGTLink"
        case .bodyTooLarge(let c, let size, let limit):
            return "\(c): BODY_SIZE \(size) exceeds the limit of \(limit) bytes (raise maxBodySize if this is legitimate)"
        case .crcMismatch(let c, let header, let computed):
            return "\(c): CRC field is 0x\(String(header, radix: 16)) but the body's CRC-64 is 0x\(String(computed, radix: 16)); message dropped"
        case .missingCRC(let c):
            return "\(c): CRC field is 0 but CRC checking is required (allow zero CRC for PLUS senders)"
        case .truncated(let c, let field, let needed, let available):
            return "\(c): field \(field) needs \(needed) bytes but only \(available) remain in the body"
        case .invalidValue(let c, let field, let reason):
            return "\(c): field \(field): \(reason)"
        case .nonFinite(let c, let field):
            return "\(c): field \(field) holds NaN or infinity; message dropped (fix the sender's pose or image geometry)"
        case .invalidText(let c, let field, let encoding):
            return "\(c): field \(field) is not valid text in encoding \(encoding) (\(IGTLTextEncoding.name(encoding)))"
        case .inconsistentMetadata(let c, let field, let reason):
            return "\(c): extended header field \(field): \(reason)"
        case .headerVersion2Required(let c):
            return "\(c): this message type requires OpenIGTLink header version 2"
        case .streamPoisoned:
            return "OpenIGTLink stream decoder used after a fatal error; close the connection"
        }
    }
}
