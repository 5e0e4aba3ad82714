import FreehandTestSupport
import Foundation
import Geometry
import Imaging
import Reconstruction
import Testing
@testable import Live

/// Acceptance (issue 10): a pyigtl PlusServer stand-in sends IMAGE Image_Image + TRANSFORM
/// ImageToReference whose matrix carries an anisotropic 0.3 x 0.2 mm pixel spacing, with the
/// transform timestamps offset from the images' by 0, 1 or 16.6 ms. The live volume equals the
/// offline reconstruction from the analytic poses at the image times, within what float32 matrices
/// on the wire move (the motion is linear translation + constant-axis rotation, which pose
/// interpolation reproduces exactly).
@Suite(.serialized) struct LivePlusStandInTests {
    static let frames = 30

    /// The stand-in's motion (see Peers/plus_server_standin.py).
    static func pose(_ t: Double) -> Transform3D {
        Transform3D.translation(SIMD3(0, 0, 20 * t)) * Transform3D.rotation(axis: SIMD3(0.2, 1, 0.1), angle: 0.5 * t)
            * Transform3D.scaling(SIMD3(0.3, 0.2, 1))
    }

    static func image(_ i: Int) -> Image {
        var bytes = [UInt8](repeating: 0, count: 64 * 48)
        for y in 0..<48 { for x in 0..<64 { bytes[y * 64 + x] = UInt8(40 + (3 * x + 5 * y + 7 * i) % 180) } }
        return Image(width: 64, height: 48, bytes: bytes)
    }

    /// The receiver's options for the stand-in's frames. (Synchronous: Swift 6.3.1 gave the async
    /// function that built these inline a context shorter than its frame; see
    /// scripts/check-async-frames.py.)
    static func options(port: Int, settings: ReconstructionSettings, grid: VolumeGeometry) -> LiveReceiver.Options {
        var options = LiveReceiver.Options(settings: settings, grid: .fixed(grid))
        options.port = port
        options.maxFrames = Self.frames
        options.duration = 120  // a deadline: the run ends even if the stand-in never sends
        options.idleTimeout = nil  // pyigtl sends no keep-alives
        options.lossless = true
        return options
    }

    @Test(.enabled(if: Python.hasPyigtl, Python.pyigtlSkip), .timeLimit(.minutes(10)),
          arguments: [0.0, 1.0, 16.6])
    func liveEqualsOfflineWithOffsetTransforms(offsetMs: Double) async throws {
        var settings = ReconstructionSettings(outputSpacing: SIMD3(0.25, 0.25, 0.25))
        settings.fillHoles = false
        var builder = OutputGridBuilder(settings: settings)
        for i in 0..<Self.frames { builder.add(width: 64, height: 48, imageToReference: Self.pose(Double(i) / 30)) }
        let grid = try builder.geometry()
        let reference = try await offPool { [settings] in
            let offline = try VolumeReconstructor(settings: settings, geometry: grid)
            for i in 0..<Self.frames { try offline.add(image: Self.image(i), imageToReference: Self.pose(Double(i) / 30)) }
            return try #require(offline.volumeUInt8())
        }

        let port = Loopback.freePort()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/plus_server_standin.py").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: try #require(Python.python3))
        python.arguments = [script, String(port), String(Self.frames), String(offsetMs)]
        python.standardOutput = FileHandle.nullDevice
        python.standardError = FileHandle.nullDevice
        try python.run()
        defer { if python.isRunning { python.terminate() } }

        let summary = try await receiveLive(Self.options(port: port, settings: settings, grid: grid)).get()
        let s = summary.status
        #expect(s.imagesReceived == Self.frames && s.framesCompounded == Self.frames && s.framesRejected == 0 && s.framesDropped == 0,
                "\(s.countsLine); last rejection: \(s.lastRejection ?? "-")")
        guard case .uint8(let live)? = summary.volume else { Issue.record("no volume"); return }
        #expect(live.geometry == reference.geometry)
        var differing = 0, maxDifference = 0, liveHit = 0, referenceHit = 0
        for (a, b) in zip(live.voxels, reference.voxels) {
            if a != 0 { liveHit += 1 }
            if b != 0 { referenceHit += 1 }
            if a != b { differing += 1; maxDifference = max(maxDifference, abs(Int(a) - Int(b))) }
        }
        print("stand-in offset \(offsetMs) ms: \(differing) of \(live.voxels.count) voxels differ (max |difference| \(maxDifference)); hit voxels live \(liveHit), offline \(referenceHit)")
        // Coverage is the scale test: losing the 0.3 x 0.2 spacing changes it by a factor of ~15.
        #expect(abs(Double(liveHit - referenceHit)) <= 0.001 * Double(referenceHit))
        // float32 matrices move a pixel across a voxel boundary now and then.
        #expect(Double(differing) <= 0.001 * Double(referenceHit))
    }
}
