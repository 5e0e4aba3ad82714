import Geometry
import IGTLink
import Imaging
import Recordings
import Testing
@testable import Live

/// Pairing for the calibration wizard's live input.
@Suite struct LiveCalibrationPairingTests {
    let t0 = 1_700_000_000.0
    func msg(_ name: String, _ t: Double, _ body: IGTLBody) -> IGTLMessage {
        IGTLMessage(deviceName: name, timestamp: IGTLTimestamp(secondsSince1970: t), body: body)
    }

    /// With `poseFrame` the image waits for ProbeToTracker and ReferenceToTracker after it, its own
    /// matrix and `A_B` name are ignored, and the frame carries only the interpolated tracker poses.
    @Test func poseFramePairsTrackersAndIgnoresTheImageMatrix() throws {
        var config = FramePairer.Configuration()
        config.poseFrame = "Probe"
        var pairer = FramePairer(configuration: config)
        let image = IGTLImage(image: Image(width: 2, height: 2, bytes: [1, 2, 3, 4]), imageToReference: .scaling(SIMD3(0.3, 0.3, 0.3)))
        _ = pairer.receive(msg("ReferenceToTracker", t0, .transform(.identity)), receivedAt: 0, wallClock: t0)
        _ = pairer.receive(msg("ProbeToTracker", t0, .transform(.translation(SIMD3(0, 0, 0)))), receivedAt: 0, wallClock: t0)
        #expect(pairer.receive(msg("Image_Reference", t0 + 0.05, .image(image)), receivedAt: 1, wallClock: t0).isEmpty)
        _ = pairer.receive(msg("ReferenceToTracker", t0 + 0.1, .transform(.identity)), receivedAt: 2, wallClock: t0)
        let ready = pairer.receive(msg("ProbeToTracker", t0 + 0.1, .transform(.translation(SIMD3(0, 0, 10)))), receivedAt: 2, wallClock: t0)
        try #require(ready.count == 1)
        #expect(ready[0].imageToReference == nil && ready[0].rejection == nil)
        #expect(Set(ready[0].transforms.keys.map(\.description)) == ["ProbeToTracker", "ReferenceToTracker"])
        let probe = try #require(ready[0].transforms[TransformName(from: "Probe", to: "Tracker")])
        #expect(abs(probe.matrix.translation.z - 5) < 1e-4)
    }

    /// Poses with one timestamp form one tracker-only frame; a new timestamp, the wait, or the
    /// end of the stream releases it; images and keep-alives are ignored.
    @Test func groupsTrackerPosesByTimestamp() throws {
        var grouper = TrackerFrameGrouper()
        #expect(grouper.receive(msg("StylusToTracker", t0, .transform(.identity)), receivedAt: 0, wallClock: t0).isEmpty)
        #expect(grouper.receive(msg("ReferenceToTracker", t0, .transform(.identity)), receivedAt: 0, wallClock: t0).isEmpty)
        let image = IGTLImage(image: Image(width: 2, height: 2, bytes: [1, 2, 3, 4]), imageToReference: .identity)
        #expect(grouper.receive(msg("Image_Reference", t0, .image(image)), receivedAt: 0, wallClock: t0).isEmpty)
        let first = grouper.receive(msg("StylusToTracker", t0 + 0.05, .transform(.identity)), receivedAt: 1_000_000, wallClock: t0)
        try #require(first.count == 1)
        #expect(first[0].transforms.count == 2 && first[0].image.isEmpty && first[0].timestamp == t0)
        #expect(grouper.poll(now: 1_900_000_000).isEmpty)
        let second = grouper.poll(now: 2_100_000_000)
        #expect(second.count == 1 && second[0].transforms.count == 1)
        #expect(grouper.flush().isEmpty)
        #expect(grouper.sampleCount == 3)
    }

    /// A pose arriving after the wait released its frame (the sender stalled between two tools)
    /// comes out again in a complete frame with the poses released before.
    @Test func latePoseOfAReleasedFrameCompletesIt() throws {
        var grouper = TrackerFrameGrouper()
        _ = grouper.receive(msg("StylusToTracker", t0, .transform(.identity)), receivedAt: 0, wallClock: t0)
        let partial = grouper.poll(now: 2_100_000_000)
        #expect(partial.count == 1 && partial[0].transforms.count == 1)
        _ = grouper.receive(msg("ReferenceToTracker", t0, .transform(.identity)), receivedAt: 2_200_000_000, wallClock: t0)
        let complete = grouper.receive(msg("StylusToTracker", t0 + 0.05, .transform(.identity)), receivedAt: 2_300_000_000, wallClock: t0)
        try #require(complete.count == 1)
        #expect(complete[0].timestamp == t0)
        #expect(Set(complete[0].transforms.keys.map(\.description)) == ["StylusToTracker", "ReferenceToTracker"])
        // The next frame starts fresh.
        let next = grouper.flush()
        #expect(next.count == 1 && next[0].transforms.count == 1 && next[0].timestamp == t0 + 0.05)
    }
}
