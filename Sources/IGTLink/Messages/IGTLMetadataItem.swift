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
