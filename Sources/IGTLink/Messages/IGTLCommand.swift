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
