import Geometry

/// One OpenIGTLink message as a Swift value: header fields plus a typed body.
///
/// `headerVersion` is the version the message was received with, and the default for
/// encoding. Version 2 adds `messageID` and `metadata`; with version 1 both are ignored when
/// encoding. A server encodes each message with the version negotiated for each client.
public struct IGTLMessage: Sendable, Equatable {
    /// DEVICE_NAME (at most 20 bytes of UTF-8 on the wire; longer names are an encoding error).
    public var deviceName: String
    /// TIMESTAMP.
    public var timestamp: IGTLTimestamp
    /// The typed body, which also determines the TYPE field.
    public var body: IGTLBody
    /// Header version: 1 or 2.
    public var headerVersion: UInt16
    /// MSG_ID of the version 2 extended header.
    public var messageID: UInt32
    /// Version 2 metadata, in wire order (keys are unique by convention, not enforced).
    public var metadata: [IGTLMetadataItem]

    public init(deviceName: String, timestamp: IGTLTimestamp = .now, body: IGTLBody,
                headerVersion: UInt16 = 1, messageID: UInt32 = 0, metadata: [IGTLMetadataItem] = []) {
        self.deviceName = deviceName
        self.timestamp = timestamp
        self.body = body
        self.headerVersion = headerVersion
        self.messageID = messageID
        self.metadata = metadata
    }

    /// The TYPE header field this message is sent with.
    public var typeName: String { body.typeName }

    /// The value of metadata key `key`, if present.
    public func metadata(_ key: String) -> String? {
        metadata.first(where: { $0.key == key })?.value
    }

    /// The untruncated device name: PlusServer sends names longer than 20 bytes cut in
    /// DEVICE_NAME and whole in the version 2 metadata key `IGTL_DEVICE_NAME`.
    public var fullDeviceName: String { metadata("IGTL_DEVICE_NAME") ?? deviceName }

    /// Type and device, for error messages.
    public var context: IGTLMessageContext { IGTLMessageContext(typeName: typeName, deviceName: deviceName) }
}

/// One version 2 metadata entry (key, value and the value's MIBenum text encoding).
public struct IGTLMetadataItem: Sendable, Hashable {
    public var key: String
    public var value: String
    /// MIBenum of the value (3 US-ASCII, 106 UTF-8, 4 Latin-1).
    public var encoding: UInt16

    /// An entry whose encoding is US-ASCII when possible, else UTF-8.
    public init(key: String, value: String, encoding: UInt16? = nil) {
        self.key = key
        self.value = value
        self.encoding = encoding ?? IGTLTextEncoding.preferred(for: value)
    }
}

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
