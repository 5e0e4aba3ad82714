import FreehandTestSupport
import Foundation
import Geometry
import IGTLink
import Imaging
import Reconstruction
import Testing
@testable import Live

/// `--serve-volume`: a viewer connected to the receiver's server gets the growing volume as a
/// 3-D uint8 IMAGE placed on the output grid.
@Suite struct LiveServeVolumeTests {
    /// Load-independent: the receiver runs until a served volume holds compounded voxels and
    /// more than 30 frames were compounded (not for a fixed time); every wait has a deadline.
    @Test(.timeLimit(.minutes(10)))
    func servesTheGrowingVolumeAsA3DImage() async throws {
        let (replayer, replay, port) = try await startReplay(SyntheticReplaySource(width: 64, height: 48, fps: 30)) { $0.loop = true }
        let geometry = VolumeGeometry(dimensions: SIMD3(40, 30, 70), spacing: SIMD3(1, 1, 1), origin: SIMD3(-15, -21, -50))
        var options = LiveReceiver.Options(settings: ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1)), grid: .fixed(geometry))
        options.port = port
        options.serveVolumePort = 0
        options.serveInterval = 0.2
        options.duration = 150  // a deadline only; the test stops the receiver itself
        let receiver = LiveReceiver(options: options)
        let run = Task { try await receiver.run() }
        defer { receiver.stop(); replayer.stop() }
        let volumePort = try await eventually("the volume server's port") { receiver.volumePort }
        let viewer = IGTLClient(host: "127.0.0.1", port: volumePort)
        viewer.start()
        let received = try await withTimeout(120, "a served volume with compounded voxels") {
            for await message in viewer.messages {
                if message.deviceName == "LiveVolume", case .image(let image) = message.body, image.pixels.contains(where: { $0 != 0 }) {
                    return image
                }
            }
            throw TestTimeout(what: "a served volume (the viewer's stream ended)")
        }
        _ = try await eventually("30 frames compounded", within: 120) { receiver.status.framesCompounded > 30 ? true : nil }
        await viewer.close()
        receiver.stop()
        let summary = try await withTimeout(300, "the receiver to finish") { try await run.result.get() }
        replayer.stop()
        _ = try? await withTimeout(300, "the replayer to finish") { try await replay.result.get() }

        let image = received
        #expect(image.size == geometry.dimensions)
        #expect(image.scalarType == .uint8)
        #expect(image.imageToReference.maxDifference(to: Transform3D.translation(geometry.origin)) < 1e-5)
        #expect(image.pixels.contains { $0 != 0 })
        #expect(summary.status.volumesServed >= 1)
        #expect(summary.status.framesCompounded > 30)
        #expect(summary.status.framesRejected <= 1)
    }
}
