/// The 58-byte OpenIGTLink message header (all fields big-endian on the wire).
public struct IGTLHeader: Sendable, Hashable {
    /// Size of the header on the wire.
    public static let size = 58

    /// Header version V: 1 (plain body) or 2 (extended header, metadata and message id).
    public var version: UInt16
    /// Message type, e.g. `IMAGE`, `GET_TRANSFOR` (at most 12 ASCII characters).
    public var typeName: String
    /// DEVICE_NAME as raw bytes without the NUL padding (at most 20).
    public var deviceNameBytes: [UInt8]
    /// TIMESTAMP.
    public var timestamp: IGTLTimestamp
    /// BODY_SIZE: bytes that follow the header.
    public var bodySize: UInt64
    /// CRC-64 of the body (0 when the sender does not compute it).
    public var crc: UInt64

    public init(version: UInt16, typeName: String, deviceNameBytes: [UInt8], timestamp: IGTLTimestamp, bodySize: UInt64, crc: UInt64) {
        self.version = version
        self.typeName = typeName
        self.deviceNameBytes = deviceNameBytes
        self.timestamp = timestamp
        self.bodySize = bodySize
        self.crc = crc
    }

    /// DEVICE_NAME as text (invalid UTF-8 replaced by U+FFFD; see `IGTLMessage` for strict decoding).
    public var deviceName: String { String(decoding: deviceNameBytes, as: UTF8.self) }

    /// Type and device, for error messages.
    public var context: IGTLMessageContext { IGTLMessageContext(typeName: typeName, deviceName: deviceName) }

    /// Parses the first 58 bytes of `bytes` and validates what framing depends on: the version
    /// and a printable TYPE. BODY_SIZE is checked against limits by the caller.
    /// - Throws: `IGTLError.unsupportedHeaderVersion` or `.invalidTypeName` (both fatal).
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(IGTLError) -> IGTLHeader {
        let raw = WireCLayer.decodeHeader(bytes)
        guard raw.version == 1 || raw.version == 2 else { throw .unsupportedHeaderVersion(raw.version) }
        let type = trimNUL(raw.type)
        guard !type.isEmpty, type.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { throw .invalidTypeName(raw.type) }
        return IGTLHeader(version: raw.version, typeName: String(decoding: type, as: UTF8.self),
                          deviceNameBytes: trimNUL(raw.deviceName), timestamp: IGTLTimestamp(rawValue: raw.timestamp),
                          bodySize: raw.bodySize, crc: raw.crc)
    }

    /// Parses the first 58 bytes of an array.
    public static func parse(_ bytes: [UInt8]) throws(IGTLError) -> IGTLHeader {
        precondition(bytes.count >= size, "an OpenIGTLink header needs \(size) bytes")
        return try bytes.withUnsafeBytes { raw in Result { () throws(IGTLError) in try parse(raw) } }.get()
    }

    /// The 58 header bytes in network byte order.
    public func encoded() -> [UInt8] {
        WireCLayer.encodeHeader(.init(version: version, type: Array(typeName.utf8.prefix(12)),
                                      deviceName: Array(deviceNameBytes.prefix(20)),
                                      timestamp: timestamp.rawValue, bodySize: bodySize, crc: crc))
    }

    /// Bytes up to the first NUL.
    static func trimNUL(_ bytes: [UInt8]) -> [UInt8] {
        if let end = bytes.firstIndex(of: 0) { return Array(bytes[..<end]) }
        return bytes
    }
}
