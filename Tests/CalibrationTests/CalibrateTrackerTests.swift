import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing

/// `freehand calibrate --tracker`: the probe step paired offline with a separate tracker
/// recording, as `reconstruct --tracker` pairs a video recording.
@Suite struct CalibrateTrackerTests {
    static var canRun: Bool { PlusData.isAvailable && FreehandExecutable.isAvailable }

    /// The probe step's ImageToProbe from `freehand calibrate` with `extra` arguments.
    static func imageToProbe(_ extra: [String], output: String) throws -> Transform3D? {
        let r = try FreehandExecutable.run(["calibrate", "--step", "probe", "--yes", "--output", output,
                                            "--config", PlusData.path(LiveUncalibratedStreamTests.config)] + extra)
        #expect(r.status == 0, "\(r.output)")
        return try DeviceSetConfiguration.load(output).coordinateDefinitionDetails.first { $0.name.description == "ImageToProbe" }?.matrix
    }

    /// PLUS's fCal 2.0 N-wire sweep split into a video-only recording and a tracker-only one whose
    /// clock runs 5 s ahead (`--tracker-offset=-5`, added to the tracker's timestamps): the paired
    /// frames carry the recorded poses, so the ImageToProbe equals the combined recording's.
    @Test(.enabled(if: canRun, "needs the PLUS data and a built freehand executable"))
    func probeStepWithSeparateTrackerMatchesCombinedRecording() throws {
        let dir = PlusData.temporaryDirectory("calibrate-tracker")
        defer { try? FileManager.default.removeItem(at: dir) }
        let recording = PlusData.path(LiveUncalibratedStreamTests.recording)
        let combined = try SequenceFile.read(recording)
        var video = combined, tracker = combined
        for i in combined.frames.indices {
            video.frames[i].transforms = [:]
            tracker.frames[i].image = Image(width: 0, height: 0)
            tracker.frames[i].timestamp += 5
        }
        let videoPath = dir.appendingPathComponent("video.igs.mha").path, trackerPath = dir.appendingPathComponent("tracker.igs.mha").path
        try SequenceFile.write(video, to: videoPath)
        try SequenceFile.write(tracker, to: trackerPath)

        let reference = try #require(try Self.imageToProbe(["--probe-recording", recording], output: dir.appendingPathComponent("combined.xml").path))
        let paired = try #require(try Self.imageToProbe(["--probe-recording", videoPath, "--tracker", trackerPath, "--tracker-offset=-5"],
                                                        output: dir.appendingPathComponent("paired.xml").path))
        var worst = 0.0
        for (x, y) in [(0.0, 0.0), (820, 0), (0, 616), (820, 616)] {
            worst = max(worst, (paired.apply(SIMD3(x, y, 0)) - reference.apply(SIMD3(x, y, 0))).length)
        }
        print("calibrate --tracker vs combined recording: ImageToProbe corners differ by at most \(worst) mm")
        // Both see the same poses up to the text round trip of the timestamps (an interpolation
        // weight off 0 or 1 by rounding at most): far below the 0.5 mm PRE3D.
        #expect(worst < 1e-4)
    }

    @Test(.enabled(if: FreehandExecutable.isAvailable, "needs a built freehand executable"))
    func trackerIsOfflineOnly() throws {
        let r = try FreehandExecutable.run(["calibrate", "--step", "probe", "--host", "127.0.0.1", "--tracker", "t.igs.mha"])
        #expect(r.status != 0 && r.output.contains("--tracker pairs recordings offline"), "\(r.output)")
    }
}
