import FreehandTestSupport
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Testing
@testable import Live

/// pyigtl as the server: `LiveReceiver` connects to a pyigtl `OpenIGTLinkServer` on 127.0.0.1
/// that sends IMAGE "Image" + TRANSFORM "ProbeToReference" pairs, and compounds them with the
/// calibration ImageToProbe = 0.5 mm pixels.
@Suite struct LivePyigtlPeerTests {
    /// Receives the peer's 4 frames (its own small async frame: Swift 6.3.1 under-allocates the
    /// async frame of a large test that builds `LiveReceiver.Options`, found with ASan).
    static func receive(port: Int, settings: ReconstructionSettings) async throws -> LiveReceiver.Summary {
        var options = LiveReceiver.Options(settings: settings,
                                           grid: .fixed(VolumeGeometry(dimensions: SIMD3(30, 20, 4), spacing: SIMD3(1, 1, 1), origin: .zero)))
        options.port = port
        options.maxFrames = 4
        options.duration = 150  // a deadline: the run ends even if the peer never sends
        options.idleTimeout = nil  // pyigtl sends no keep-alives
        options.lossless = true  // the peer sends its 4 frames at once: count every one, drop none
        options.pairing.calibration.set(TransformName(from: "Image", to: "Probe"), .scaling(SIMD3(0.5, 0.5, 0.5)), persistent: true)
        return try await LiveReceiver(options: options).run()
    }

    @Test(.enabled(if: Python.hasPyigtl, Python.pyigtlSkip), .timeLimit(.minutes(10)))
    func compoundsFramesFromPyigtlServer() async throws {
        let port = Loopback.freePort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/pyigtl_sender.py").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: try #require(Python.python3))
        python.arguments = [script, String(port), "4"]
        let out = Pipe()
        python.standardOutput = out
        let errors = Pipe()
        python.standardError = errors
        try python.run()
        defer { if python.isRunning { python.terminate() } }

        var settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
        settings.fillHoles = false
        let summary = try await Self.receive(port: port, settings: settings)
        // The peer exits by itself once it has sent all 4; if they did not all arrive, it may
        // still wait for a client, so it is ended rather than waited for.
        if summary.status.imagesReceived < 4 { python.terminate() }
        python.waitUntilExit()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let complaint = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(printed.contains("sent 4"), "pyigtl peer: \(printed) \(complaint)")
        #expect(summary.status.imagesReceived == 4)
        #expect(summary.status.framesCompounded == 4)
        #expect(summary.status.framesRejected == 0)
        #expect(summary.status.trackerSamples == 4)
        guard case .uint8(let volume)? = summary.volume else { Issue.record("no volume"); return }
        // Frame i lands in slice z = i with value 100 + 20 i over 30x20 voxels (0.5 mm pixels).
        for k in 0..<4 {
            #expect(volume[10, 10, k] == UInt8(100 + 20 * k), "slice \(k)")
            #expect(volume[29, 19, k] == UInt8(100 + 20 * k), "slice \(k) far corner")
        }
    }
}
