import Geometry

/// The body of a message, by type.
public enum IGTLBody: Sendable, Equatable {
    /// IMAGE: a 2-D or 3-D image (or sub-volume) with its geometry.
    case image(IGTLImage)
    /// TRANSFORM: a rigid or affine transform (mm). The bottom row is always 0 0 0 1.
    case transform(Transform3D)
    /// POSITION: a point and optional orientation quaternion.
    case position(IGTLPosition)
    /// TDATA: a list of named tracked tools.
    case trackingData([IGTLTrackingElement])
    /// STATUS: a code, subcode, error name and message (PlusServer's keep-alive is STATUS OK).
    case status(IGTLStatus)
    /// STRING: text with its encoding.
    case string(IGTLString)
    /// COMMAND (header version 2 only): a named command with XML or plain text.
    case command(IGTLCommand)
    /// RTS_COMMAND (header version 2 only): the reply to a COMMAND.
    case commandReply(IGTLCommand)
    /// GET_, STT_, STP_ and RTS_ queries (other than RTS_COMMAND), content kept raw.
    case query(IGTLQuery)
    /// Any other type, content kept as raw bytes (without v2 extended header and metadata).
    case unknown(typeName: String, content: [UInt8])

    /// The TYPE header field for this body.
    public var typeName: String {
        switch self {
        case .image: return "IMAGE"
        case .transform: return "TRANSFORM"
        case .position: return "POSITION"
        case .trackingData: return "TDATA"
        case .status: return "STATUS"
        case .string: return "STRING"
        case .command: return "COMMAND"
        case .commandReply: return "RTS_COMMAND"
        case .query(let q): return q.typeName
        case .unknown(let name, _): return name
        }
    }
}
