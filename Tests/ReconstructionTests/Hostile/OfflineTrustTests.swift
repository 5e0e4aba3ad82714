import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Reconstruction
import Recordings
import Simulation
import Testing

/// The acceptance checks of the offline path that compare whole volumes.
struct OfflineTrustTests {
    private func settings(_ config: String) throws -> (ReconstructionSettings, TransformRepository) {
        let root = try ConfigElement.parse(Data(config.utf8))
        let device = try DeviceSetConfiguration(root: root)
        return (try ReconstructionSettings(element: device.volumeReconstruction!), device.transformRepository())
    }

    /// One NaN pose (as `record` can write it) makes that frame INVALID, counted with its reason;
    /// the volume is identical, voxel for voxel, to the one from the recording without that frame.
    @Test func oneNaNPoseSkipsOnlyThatFrame() throws {
        let fixture = try HostileFixture("nan-pose")
        defer { try? FileManager.default.removeItem(at: fixture.dir) }
        try fixture.setFrameField(5, "ProbeToTrackerTransform", nanTransform)
        var without = HostileFixture.sequence
        without.frames.remove(at: 5)
        try HostileFixture.write(without, to: fixture.path("without.igs.mha"))

        let (settings, calibration) = try settings(HostileFixture.config)
        let pipeline = RecordingReconstruction(settings: settings, calibration: calibration, threads: 2)
        let withNaN = try pipeline.run(path: fixture.path("sweep.igs.mha"))
        let reference = try pipeline.run(path: fixture.path("without.igs.mha"))
        #expect(withNaN.statistics.framesSkippedInvalidTransform == 1)
        #expect(withNaN.statistics.invalidFrameReasons == ["ProbeToTrackerTransform holds NaN or infinity": 1])
        #expect(withNaN.statistics.framesPasted == reference.statistics.framesPasted)
        #expect(withNaN.volume.geometry == reference.volume.geometry)
        guard case let .uint8(a) = withNaN.volume, case let .uint8(b) = reference.volume else {
            Issue.record("expected 8-bit volumes"); return
        }
        #expect(a.voxels == b.voxels)
        #expect(withNaN.accumulation.voxels == reference.accumulation.voxels)
    }

    /// A sweep split into a video-only recording and a tracker-only recording at another rate
    /// (50 Hz against 20 Hz) on another clock (+5 s) reconstructs like the combined recording.
    /// Even video frames fall on tracker samples (exact); odd ones lie half-way between two
    /// samples, where the interpolated pose differs from the simulated one by the trajectory's
    /// curvature over 20 ms, well under a voxel.
    @Test func separateVideoAndTrackerRecordingsMatchTheCombinedOne() throws {
        let probe = LinearProbe(width: 48, height: 40, spacing: SIMD2(0.8, 0.8))
        let video = SweepSimulator(probe: probe, frameCount: 25, frameRate: 20, startTime: 100)
        let trackerClock = SweepSimulator(probe: probe, frameCount: 61, frameRate: 50, startTime: 105)
        let combined = video.makeSequence()
        var videoOnly = combined
        for i in videoOnly.frames.indices { videoOnly.frames[i].transforms = [:] }
        var trackerOnly = TrackedSequence()
        for j in 0..<trackerClock.frameCount {
            var f = trackerClock.frame(j)
            f.image = Image(width: 0, height: 0)
            trackerOnly.frames.append(f)
        }
        let dir = PlusData.temporaryDirectory("tracker-split")
        defer { try? FileManager.default.removeItem(at: dir) }
        let trackerPath = dir.appendingPathComponent("tracker.igs.mha").path
        try SequenceFile.write(trackerOnly, to: trackerPath)
        let readBack = try SequenceFile.read(trackerPath)

        let (settings, calibration) = try settings(video.deviceSetConfiguration(outputSpacing: 0.5))
        var pipeline = RecordingReconstruction(settings: settings, calibration: calibration, threads: 2)
        let reference = try pipeline.reconstruct(combined)
        pipeline.tracker = try TrackerTimeline(tracker: readBack, offset: 5)
        let split = try pipeline.reconstruct(videoOnly)

        // Pose error of the paired frames against the simulated truth.
        var maxPoseError = 0.0
        for (i, frame) in videoOnly.frames.enumerated() {
            let paired = pipeline.tracker!.pair(frame)
            let m = paired.transforms[TransformName(from: "Probe", to: "Tracker")]!.matrix
            let truth = video.probeToTracker(frame: i)
            for k in 0..<16 { maxPoseError = max(maxPoseError, abs(m.elements[k] - truth.elements[k])) }
        }
        #expect(split.statistics.framesPasted == reference.statistics.framesPasted)
        #expect(split.volume.geometry == reference.volume.geometry)
        guard case let .uint8(a) = split.volume, case let .uint8(b) = reference.volume else {
            Issue.record("expected 8-bit volumes"); return
        }
        var differing = 0, maxDifference = 0
        for i in a.voxels.indices where a.voxels[i] != b.voxels[i] {
            differing += 1
            maxDifference = max(maxDifference, abs(Int(a.voxels[i]) - Int(b.voxels[i])))
        }
        let hit = b.voxels.count - reference.emptyVoxels
        print("tracker split: max pose element error \(maxPoseError); \(differing) of \(a.voxels.count) voxels differ (\(hit) hit), max difference \(maxDifference)")
        #expect(maxPoseError < 0.05)
        #expect(Double(differing) < 0.05 * Double(hit))
    }
}
