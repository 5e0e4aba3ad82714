import Recordings

/// What a live step collects: tracker poses only (pivot, landmarks) or images paired with the
/// tracker poses at their time (probe, temporal), or images alone (spacing).
public struct LiveRequest: Sendable, Hashable {
    /// The frames a step needs.
    public enum Content: Sendable, Hashable {
        /// One frame per tracker timestamp, images ignored.
        case tracker
        /// One frame per IMAGE; with `poseFrame`, paired with `<poseFrame>To<referenceFrame>`.
        case images(poseFrame: String?)
    }
    public var content: Content
    /// Reference frame of the paired pose chain.
    public var referenceFrame: String
    /// Stop after this many frames / seconds (nil: when the step has enough).
    public var maxFrames: Int?
    public var duration: Double?

    public init(content: Content, referenceFrame: String = "Reference", maxFrames: Int? = nil, duration: Double? = nil) {
        self.content = content
        self.referenceFrame = referenceFrame
        self.maxFrames = maxFrames
        self.duration = duration
    }

    /// The request for `step`: the frames it consumes.
    public static func frames(for step: any CalibrationStep) -> LiveRequest {
        switch step {
        case let s as ProbeStep: return LiveRequest(content: .images(poseFrame: s.probeFrame), referenceFrame: s.referenceFrame)
        case let s as TemporalStep: return LiveRequest(content: .images(poseFrame: s.probeFrame), referenceFrame: s.referenceFrame)
        case is SpacingStep: return LiveRequest(content: .images(poseFrame: nil))
        default: return LiveRequest(content: .tracker)
        }
    }
}

/// A live connection feeding one wizard step (Live's `LiveFrameSource` for OpenIGTLink servers).
public protocol LiveStepSource: AnyObject, Sendable {
    /// Where the frames come from (host:port).
    var name: String { get }
    /// The next frame, blocking; nil when collection is over. While no frame arrives, `status` is
    /// called on the calling thread about every `statusEvery` seconds with what has been received
    /// (devices, rates) and what the step still waits for.
    func next(statusEvery: Double, _ status: (String) -> Void) throws -> TrackedFrame?
    /// What has been received so far, in one line (devices, rates, what is missing).
    var reception: String { get }
    /// Ends collection: `next` returns nil from now on (safe from any thread).
    func stop()
    /// Stops and waits until the connection is closed.
    func close()
    /// Why collection ended and anything lost on the way, for the end-of-step report.
    var endNotes: (reason: String?, warnings: [String]) { get }
}
