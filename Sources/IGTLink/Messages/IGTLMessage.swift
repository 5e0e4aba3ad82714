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
