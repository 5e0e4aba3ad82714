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
    @Test(.timeLimit(.minutes(1)))
    func servesTheGrowingVolumeAsA3DImage() async throws {
        let (replayer, replay, port) = try await startReplay(SyntheticReplaySource(width: 64, height: 48, fps: 30)) { $0.loop = true }
        let geometry = VolumeGeometry(dimensions: SIMD3(40, 30, 70), spacing: SIMD3(1, 1, 1), origin: SIMD3(-15, -21, -50))
        var options = LiveReceiver.Options(settings: ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1)), grid: .fixed(geometry))
        options.port = port
        options.serveVolumePort = 0
        options.serveInterval = 0.2
        options.duration = 3
        let receiver = LiveReceiver(options: options)
        let run = Task { try await receiver.run() }
        let volumePort = try await eventually("the volume server's port") { receiver.volumePort }
        let viewer = IGTLClient(host: "127.0.0.1", port: volumePort)
        viewer.start()
        var received: IGTLImage?
        for await message in viewer.messages {
            if message.deviceName == "LiveVolume", case .image(let image) = message.body { received = image; break }
        }
        await viewer.close()
        let summary = try await run.result.get()
        replayer.stop()
        _ = try? await replay.result.get()

        let image = try #require(received)
        #expect(image.size == geometry.dimensions)
        #expect(image.scalarType == .uint8)
        #expect(image.imageToReference.maxDifference(to: Transform3D.translation(geometry.origin)) < 1e-5)
        #expect(image.pixels.contains { $0 != 0 })
        #expect(summary.status.volumesServed >= 1)
        #expect(summary.status.framesCompounded > 30)
        #expect(summary.status.framesRejected <= 1)
    }
}
