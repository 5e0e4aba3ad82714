/// Which message an error is about: its TYPE and DEVICE_NAME header fields.
public struct IGTLMessageContext: Sendable, Hashable, CustomStringConvertible {
    /// The TYPE header field (e.g. `IMAGE`).
    public var typeName: String
    /// The DEVICE_NAME header field (invalid UTF-8 replaced by U+FFFD).
    public var deviceName: String

    public init(typeName: String, deviceName: String) {
        self.typeName = typeName
        self.deviceName = deviceName
    }

    public var description: String { "\(typeName) message from device \"\(deviceName)\"" }
}
