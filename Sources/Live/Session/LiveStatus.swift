import Imaging

/// What a live session reports while it runs (for the terminal status line and `--report`).
///
/// Every IMAGE of the compounded stream is counted once: `imagesReceived == framesCompounded +
/// framesDropped + framesRejected + framesSkipped` at the end of a session (while it runs, the
/// difference is frames still waiting for a tracker sample or for the automatic grid).
public struct LiveStatus: Sendable {
    /// Whether the OpenIGTLink connection is up.
    public var connected = false
    /// Whether the connection is up but no complete message arrived for the stall time.
    public var stalled = false
    /// The IMAGE device compounded, once chosen.
    public var imageDevice: String?
    /// Seconds since the session started.
    public var elapsed = 0.0
    /// IMAGE messages of the compounded device received.
    public var imagesReceived = 0
    /// Frames pasted into the volume.
    public var framesCompounded = 0
    /// Frames dropped because compounding fell behind (the oldest not yet compounded).
    public var framesDropped = 0
    /// Frames without a valid pose or refused by the reconstructor (see `lastRejection`).
    public var framesRejected = 0
    /// Messages (of any type) the network side dropped before the session saw them, because
    /// the process fell thousands of messages behind; 0 in any healthy session.
    public var messagesLost = 0
    /// Frames left out by the configuration's SkipInterval.
    public var framesSkipped = 0
    /// IMAGE messages of other devices (not compounded).
    public var framesIgnored = 0
    /// Compounded frames that reach outside the grid (clipped), and frames wholly outside it
    /// (pasted nothing; still counted as compounded), on a fixed grid or once the automatic grid
    /// stopped growing.
    public var framesPartlyOutsideGrid = 0
    public var framesOutsideGrid = 0
    /// Whether the grid is fixed (`--grid-from`, `--origin`/`--extent`, a configured extent, or an
    /// automatic grid that stopped growing): then the outside counts are always shown.
    public var gridFixed = false
    /// How often the automatic grid grew, and why it stopped growing (the memory bound), if it did.
    public var gridGrowths = 0
    public var gridFrozen: String?
    /// Frames the sender's timestamps suggest were lost before arriving (gaps in the image rate).
    public var framesMissing = 0
    /// Tracker poses received, and those with a NaN or infinite element (kept as INVALID).
    public var trackerSamples = 0
    public var nonFiniteTrackerSamples = 0
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

    /// A one-line summary, e.g. `connected | 29.8 fps | 1790 received: 1790 compounded, 0 dropped, 0 rejected | ...`.
    public var line: String {
        func ms(_ s: Double?) -> String { s.map { PairingRejection.milliseconds($0) } ?? "-" }
        var parts = [stalled ? "STALLED" : connected ? "connected" : "waiting for server"]
        parts.append(String(format: "%.1f fps", frameRate))
        parts.append(countsLine)
        parts.append(String(format: "coverage %.1f%%", coverage * 100))
        parts.append("latency p50 \(ms(latencyP50)) ms p99 \(ms(latencyP99)) ms")
        return parts.joined(separator: " | ")
    }

    /// `N received: C compounded, D dropped, R rejected` (+ skipped, missing, ignored when any).
    public var countsLine: String {
        var line = "\(imagesReceived) received: \(framesCompounded) compounded, \(framesDropped) dropped, \(framesRejected) rejected"
        if framesSkipped > 0 { line += ", \(framesSkipped) skipped (SkipInterval)" }
        if framesMissing > 0 { line += ", \(framesMissing) missing upstream" }
        if framesIgnored > 0 { line += ", \(framesIgnored) of other IMAGE devices ignored" }
        if gridFixed || framesPartlyOutsideGrid + framesOutsideGrid > 0 {
            line += "; outside the grid: \(framesPartlyOutsideGrid) partly, \(framesOutsideGrid) wholly"
        }
        if nonFiniteTrackerSamples > 0 { line += ", \(nonFiniteTrackerSamples) non-finite tracker poses" }
        if messagesLost > 0 { line += ", \(messagesLost) messages lost in the receive buffer" }
        return line
    }
}
