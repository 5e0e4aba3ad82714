import Recordings

/// Timestamp irregularities of a recording, counted frame by frame. IGSIO's reader keeps such
/// frames as they are (`vtkIGSIOMetaImageSequenceIO::ReadImageHeader` neither sorts nor drops;
/// `igsioTrackedFrame::SetFrameField` keeps 0 for a timestamp it cannot convert), so they are
/// reported, not refused.
public struct TimestampReport: Sendable, Equatable {
    /// Frames whose timestamp is earlier than the previous frame's.
    public var outOfOrder = 0
    /// Frames whose timestamp equals the previous frame's.
    public var repeated = 0
    /// Frames whose timestamp is not a number.
    public var unreadable = 0
    private var previous: Double?

    public init() {}

    /// Counts `frame` against the frame before it.
    public mutating func add(_ frame: TrackedFrame) {
        if frame.problems.contains(where: \.isTimestamp) { unreadable += 1; return }
        if let p = previous {
            if frame.timestamp < p { outOfOrder += 1 } else if frame.timestamp == p { repeated += 1 }
        }
        previous = frame.timestamp
    }

    /// A one-line summary, or nil when every timestamp is in order.
    public var summary: String? {
        var parts: [String] = []
        if outOfOrder > 0 { parts.append("\(outOfOrder) out of order") }
        if repeated > 0 { parts.append("\(repeated) repeated") }
        if unreadable > 0 { parts.append("\(unreadable) not a number") }
        return parts.isEmpty ? nil : "timestamps: " + parts.joined(separator: ", ")
    }
}
