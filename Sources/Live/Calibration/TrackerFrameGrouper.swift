import Geometry
import IGTLink
import Imaging
import Recordings

/// Turns a tracker stream into tracker-only tracked frames (empty image) for the calibration
/// steps that need no images (stylus pivot, phantom landmarks): the poses PlusServer sends for one
/// tracked frame (its TRANSFORM, POSITION or TDATA messages share one timestamp) become one frame.
///
/// A frame is released when a pose with another timestamp arrives, or `maxWait` seconds after its
/// last pose arrived (or at the end of the stream). A pose that arrives after its frame was
/// released by the wait (a sender that stalled between two tools of one frame) starts a new frame
/// holding the released poses too, so the complete frame still comes out. Senders that stamp every message differently (or not at all) give one frame
/// per message, so tools sent separately are not combined.
struct TrackerFrameGrouper: Sendable {
    /// Longest a frame waits for more poses with its timestamp (s, receive clock). The next
    /// tracker frame normally releases it far sooner; this only bounds the wait for the last one,
    /// and is long enough that a sender stalled between two tools of one frame does not split it.
    var maxWait = 2.0
    /// Tracker poses received.
    private(set) var sampleCount = 0
    private var time: Double?
    private var lastReceived: UInt64 = 0
    private var transforms: [TransformName: TrackedTransform] = [:]
    /// The last frame released by the wait, for poses of its timestamp that arrive late.
    private var released: (time: Double, transforms: [TransformName: TrackedTransform])?

    /// Takes one message (images, STATUS and the like are ignored); returns the frame it completed.
    mutating func receive(_ message: IGTLMessage, receivedAt: UInt64, wallClock: Double) -> [TrackedFrame] {
        let t = message.seconds(fallback: wallClock)
        let samples = message.trackerSamples(time: t)
        guard !samples.isEmpty else { return poll(now: receivedAt) }
        var out: [TrackedFrame] = []
        if let time, time != t { out = flush() }
        if time == nil, let r = released, r.time == t { transforms = r.transforms }
        if released?.time != t { released = nil }
        time = t
        lastReceived = receivedAt
        for (name, sample) in samples {
            transforms[name] = TrackedTransform(matrix: sample.matrix, status: sample.status)
            sampleCount += 1
        }
        return out
    }

    /// Releases the frame whose wait is over.
    mutating func poll(now: UInt64) -> [TrackedFrame] {
        guard let time, Double(now &- lastReceived) / 1e9 >= maxWait else { return [] }
        released = (time, transforms)
        return flush()
    }

    /// Releases the frame being gathered (end of stream).
    mutating func flush() -> [TrackedFrame] {
        guard let time else { return [] }
        defer { self.time = nil; transforms = [:] }
        return [TrackedFrame(image: Image(width: 0, height: 0), timestamp: time, imageStatus: .invalid, transforms: transforms)]
    }
}
