import ArgumentParser
import Reconstruction

/// A separate tracker recording paired with a video recording (reconstruct, replay, calibrate), as PLUS's
/// tools take `--video-file` and `--tracker-file`.
struct TrackerOptions: ParsableArguments {
    @Option(help: "Separate tracker recording: each frame gets the tracker poses interpolated at its timestamp.")
    var tracker: String?

    @Option(help: "Seconds added to the tracker's timestamps, e.g. --tracker-offset=-0.065 (its LocalTimeOffsetSec; default: from the configuration's devices, else 0).")
    var trackerOffset: Double?

    func validate() throws {
        if let trackerOffset, !(trackerOffset.isFinite && abs(trackerOffset) <= 3600) {
            throw ValidationError("--tracker-offset must be a number of seconds between -3600 and 3600 (tracker time offset)")
        }
        if trackerOffset != nil, tracker == nil { throw ValidationError("--tracker-offset needs --tracker") }
    }

    /// `request` with the tracker recording and offset.
    func apply(to request: ReconstructionSetup.Request) -> ReconstructionSetup.Request {
        var r = request
        r.tracker = tracker
        r.trackerOffset = trackerOffset
        return r
    }
}
