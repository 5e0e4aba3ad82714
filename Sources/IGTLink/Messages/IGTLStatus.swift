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
