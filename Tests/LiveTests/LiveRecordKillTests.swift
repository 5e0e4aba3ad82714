import FreehandTestSupport
import Foundation
import Geometry
import Imaging
import Recordings
import Testing
@testable import Live

/// `freehand record` killed with SIGKILL mid-stream leaves a readable sequence holding every
/// frame it had written, in order, none missing.
@Suite struct LiveRecordKillTests {
    @Test(.enabled(if: FreehandExecutable.isAvailable, "needs the built freehand executable (swift build)"), .timeLimit(.minutes(10)))
    func killedRecordingIsReadableAndComplete() async throws {
        let (replayer, replay, port) = try await startReplay(SyntheticReplaySource(width: 64, height: 48, fps: 30)) { $0.loop = true }
        defer { replayer.stop() }

        let dir = PlusData.temporaryDirectory("live-record")
        let output = dir.appendingPathComponent("capture.igs.mha").path
        let live = LiveRecorder.livePath(for: output)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: FreehandExecutable.path)
        process.arguments = ["record", "--port", String(port), "-o", output, "--quiet"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()

        // Read the file while it grows: every read must succeed once the header exists.
        var seen = 0
        let deadline = Date().addingTimeInterval(300)  // a hang deadline: the condition is 45 frames
        while seen < 45 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            guard FileManager.default.fileExists(atPath: live) else { continue }
            seen = try SequenceFile.read(live).frames.count
        }
        #expect(seen >= 45, "recording did not grow")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        replayer.stop()
        let sent = try? await withTimeout(300, "the replayer to finish") { try await replay.result.get() }
        // The replayer drops messages for a client that cannot keep up (as PlusServer does); on a
        // loaded machine a dropped tracker sample leaves a frame's pose INVALID, which is right.
        let lossless = sent?.droppedForSlowClients == 0

        let sequence = try SequenceFile.read(live)
        let rawBytes = try #require(try FileManager.default.attributesOfItem(atPath: String(live.dropLast(4)) + ".raw")[.size] as? Int)
        let frameBytes = 64 * 48
        #expect(sequence.frames.count >= seen)
        #expect(rawBytes / frameBytes - sequence.frames.count <= 1, "at most the frame being written when killed is not in the header")
        // Frames are consecutive: the synthetic stream cycles through 16 patterns, and the
        // recorded ImageToProbe chain must place each frame at its sweep position.
        let patterns = (0..<16).map { SyntheticReplaySource.pattern(width: 64, height: 48, seed: $0) }
        let first = try #require(patterns.firstIndex { $0.bytes == sequence.frames[0].image.bytes })
        for (i, frame) in sequence.frames.enumerated() {
            #expect(frame.image.bytes == patterns[(first + i) % 16].bytes, "frame \(i) is not the next one sent")
            #expect(frame.fields["FrameNumber"] == String(i))
            let status = frame.transforms[TransformName(from: "Image", to: "Reference")]?.status
            #expect(status != nil, "frame \(i) has no ImageToReference")
            // Frame 0 may lack the tracker samples sent just before it (the recorder joined the
            // looping stream between them and the image): its pose is rightly INVALID.
            if lossless && i > 0 { #expect(status == .ok, "frame \(i): nothing was dropped, yet its pose is \(String(describing: status))") }
        }
        try? FileManager.default.removeItem(at: dir)
    }
}
