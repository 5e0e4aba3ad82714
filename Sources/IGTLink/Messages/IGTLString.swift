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
