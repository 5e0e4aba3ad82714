/// What the stream decoder produced for one framed message.
public enum IGTLDecodeResult: Sendable, Equatable {
    /// A valid message.
    case message(IGTLMessage)
    /// A message that was framed correctly but failed to decode; it was dropped and the stream
    /// continues. The frame is kept for logging or recording; `IGTLError.isNonFinite` tells
    /// a dropped NaN/infinite pose from other faults.
    case skipped(IGTLFrame, IGTLError)
}
