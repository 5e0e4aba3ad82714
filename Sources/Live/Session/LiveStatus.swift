import Imaging

/// What a live session reports while it runs (for the terminal status line and `--report`).
public struct LiveStatus: Sendable {
    /// Whether the OpenIGTLink connection is up.
    public var connected = false
    /// Seconds since the session started.
    public var elapsed = 0.0
    /// IMAGE messages received.
    public var imagesReceived = 0
    /// Frames pasted into the volume.
    public var framesCompounded = 0
    /// Frames without a valid pose (see `lastRejection`).
    public var framesRejected = 0
    /// Messages discarded because processing fell behind.
    public var messagesDropped = 0
    /// Frames the sender's timestamps suggest were lost before arriving (gaps in the image rate).
    public var framesMissing = 0
    /// Tracker poses received.
    public var trackerSamples = 0
    /// Compounded frames per second over the last second or so.
    public var frameRate = 0.0
    /// Fraction of the volume's voxels hit so far.
    public var coverage = 0.0
    /// Receive-to-compounded latency percentiles (s).
    public var latencyP50: Double?
    public var latencyP99: Double?
    public var latencyMax = 0.0
    /// The output grid once known.
    public var geometry: VolumeGeometry?
    /// Why the last rejected frame was rejected.
    public var lastRejection: String?
    /// Snapshots written.
    public var snapshotsWritten = 0
    /// Volumes sent to `--serve-volume` clients.
    public var volumesServed = 0

    public init() {}

    /// A one-line summary, e.g. `29.8 fps | 1790 frames, 0 dropped | coverage 41.2% | latency p50 12 ms p99 25 ms`.
    public var line: String {
        func ms(_ s: Double?) -> String { s.map { String(Int(($0 * 1000).rounded())) } ?? "-" }
        var parts = [connected ? "connected" : "waiting for server"]
        parts.append(String(format: "%.1f fps", frameRate))
        parts.append("\(framesCompounded) frames, \(messagesDropped) dropped, \(framesMissing) missing, \(framesRejected) rejected")
        parts.append(String(format: "coverage %.1f%%", coverage * 100))
        parts.append("latency p50 \(ms(latencyP50)) ms p99 \(ms(latencyP99)) ms")
        return parts.joined(separator: " | ")
    }
}
