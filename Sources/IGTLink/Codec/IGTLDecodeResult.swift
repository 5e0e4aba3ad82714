/// What the stream decoder produced for one framed message.
public enum IGTLDecodeResult: Sendable {
    /// A valid message.
    case message(IGTLMessage)
    /// A message that was framed correctly but failed to decode; it was dropped and the stream
    /// continues. The frame is kept for logging or recording.
    case skipped(IGTLFrame, IGTLError)
}
