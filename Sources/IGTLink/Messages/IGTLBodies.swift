import Geometry

/// A POSITION body. The wire format has three sizes: 12 bytes (position only), 24 bytes
/// (position and the quaternion's x, y, z; w is implied non-negative) and 28 bytes (all).
public struct IGTLPosition: Sendable, Hashable {
    /// Which of the three wire layouts to use.
    public enum Layout: Int, Sendable, Hashable {
        case positionOnly = 12, quaternion3 = 24, full = 28
    }
    /// x, y, z in mm.
    public var position: SIMD3<Float>
    /// Orientation quaternion (x, y, z, w); identity when the layout carries none.
    public var quaternion: SIMD4<Float>
    /// The wire layout.
    public var layout: Layout

    public init(position: SIMD3<Float>, quaternion: SIMD4<Float> = SIMD4(0, 0, 0, 1), layout: Layout = .full) {
        self.position = position
        self.quaternion = quaternion
        self.layout = layout
    }
}

/// One tool in a TDATA body.
public struct IGTLTrackingElement: Sendable, Hashable {
    /// Instrument types of the TDATA specification.
    public enum InstrumentType: UInt8, Sendable, Hashable {
        case tracker = 1, sixDoF = 2, threeDoF = 3, fiveDoF = 4
    }
    /// Tool name (at most 20 bytes).
    public var name: String
    /// Instrument type byte (1...4 per the specification; other values are kept as they are).
    public var type: UInt8
    /// The tool's transform (upper 3x4, mm).
    public var transform: Transform3D

    public init(name: String, type: UInt8 = InstrumentType.sixDoF.rawValue, transform: Transform3D) {
        self.name = name
        self.type = type
        self.transform = transform
    }
}

/// A STATUS body.
public struct IGTLStatus: Sendable, Hashable {
    /// Status codes of the OpenIGTLink specification.
    public enum Code {
        public static let invalid: UInt16 = 0
        public static let ok: UInt16 = 1
        public static let unknownError: UInt16 = 2
        public static let panic: UInt16 = 3
        public static let notFound: UInt16 = 4
        public static let accessDenied: UInt16 = 5
        public static let busy: UInt16 = 6
        public static let timeOut: UInt16 = 7
        public static let overflow: UInt16 = 8
        public static let checksumError: UInt16 = 9
        public static let configurationError: UInt16 = 10
        public static let resourceError: UInt16 = 11
        public static let illegalInstruction: UInt16 = 12
        public static let notReady: UInt16 = 13
        public static let manualMode: UInt16 = 14
        public static let disabled: UInt16 = 15
        public static let notPresent: UInt16 = 16
        public static let unknownVersion: UInt16 = 17
        public static let hardwareFailure: UInt16 = 18
        public static let shutdown: UInt16 = 19
        public static let unsupported: UInt16 = 20
    }
    public var code: UInt16
    public var subcode: Int64
    /// Error name (at most 20 bytes).
    public var errorName: String
    /// Free text (sent NUL-terminated).
    public var message: String

    public init(code: UInt16 = Code.ok, subcode: Int64 = 0, errorName: String = "", message: String = "") {
        self.code = code
        self.subcode = subcode
        self.errorName = errorName
        self.message = message
    }

    /// PlusServer's keep-alive: STATUS OK, no text.
    public static let ok = IGTLStatus()
}

/// A STRING body: text of at most 65535 encoded bytes.
public struct IGTLString: Sendable, Hashable {
    /// MIBenum (3 US-ASCII, 106 UTF-8, 4 Latin-1).
    public var encoding: UInt16
    public var text: String

    /// Text with US-ASCII encoding when possible, else UTF-8.
    public init(_ text: String, encoding: UInt16? = nil) {
        self.text = text
        self.encoding = encoding ?? IGTLTextEncoding.preferred(for: text)
    }
}

/// A COMMAND or RTS_COMMAND body (header version 2 only).
public struct IGTLCommand: Sendable, Hashable {
    /// COMMAND_ID, echoed by the reply.
    public var commandID: UInt32
    /// COMMAND_NAME (at most 128 bytes), e.g. `StartRecording`.
    public var name: String
    /// MIBenum of `text`.
    public var encoding: UInt16
    /// The command text, usually XML such as `<Command Name="StartRecording" .../>`.
    public var text: String

    public init(commandID: UInt32, name: String, text: String, encoding: UInt16? = nil) {
        self.commandID = commandID
        self.name = name
        self.text = text
        self.encoding = encoding ?? IGTLTextEncoding.preferred(for: text)
    }
}

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
