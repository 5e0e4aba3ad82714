import ArgumentParser
import Live

/// The OpenIGTLink server a live command connects to, when it stops, and how images are
/// paired with tracker poses (listen, record).
struct StreamOptions: ParsableArguments {
    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 18944
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Option(help: "Stop after this many images.") var frames: Int?
    @Flag(help: "Stop when the server disconnects instead of reconnecting.") var noReconnect = false
    @Option(help: "Pose source: auto, matrix (IMAGE matrix is ImageToReference) or tracker.") var pose: PoseChoice = .auto
    @Option(help: "Largest tracker sample interval interpolated over (ms).") var maxGap = 200.0
    @Option(help: "Longest an image waits for the next tracker sample (ms; default 250 for listen, 2000 for record, which has no latency to keep).")
    var maxWait: Double?
    @Option(help: "IMAGE device to use (default: the first named Image or Image_*; others are ignored).") var imageDevice: String?
    @Option(help: "Report the stream as stalled after this many seconds without a complete message.") var stallTime = 2.0

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let duration, !(duration.isFinite && duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        for (name, ms) in [("--max-gap", maxGap), ("--max-wait", maxWait ?? 0)] where !(ms.isFinite && ms >= 0 && ms <= 60_000) {
            throw ValidationError("\(name) must be between 0 and 60000 ms")
        }
        guard stallTime.isFinite, stallTime > 0 else { throw ValidationError("--stall-time must be a positive number of seconds") }
    }

    /// `pairing` with the pose source and tracker tolerances set; `defaultMaxWait` (ms) applies
    /// when `--max-wait` is not given.
    func apply(to pairing: FramePairer.Configuration, defaultMaxWait: Double = 250) -> FramePairer.Configuration {
        var p = pairing
        p.poseSource = pose.value
        p.maxGap = maxGap / 1000
        p.maxWait = (maxWait ?? defaultMaxWait) / 1000
        return p
    }
}
