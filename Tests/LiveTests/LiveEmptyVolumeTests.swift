import FreehandTestSupport
import Foundation
import Geometry
import IGTLink
import Imaging
import Reconstruction
import Testing
@testable import Live

/// An empty live volume is a failure with its cause, never a file of zeros or a SUCCESS:
/// `listen --output`, its snapshots, and Plus Remote's snapshot and stop.
@Suite struct LiveEmptyVolumeTests {
    /// A grid far from every pose the synthetic replay sends.
    static let farGrid = VolumeGeometry(dimensions: SIMD3(20, 20, 20), spacing: SIMD3(1, 1, 1), origin: SIMD3(5000, 5000, 5000))

    /// The receiver's options: 20 frames from `port` into `grid`, writing `output`. (Synchronous:
    /// Swift 6.3.1 gave `listen`'s async frame, when it built these inline, a context one byte
    /// short of its last field; see scripts/check-async-frames.py.)
    static func options(grid: VolumeGeometry, port: Int, output: String, allowEmpty: Bool) -> LiveReceiver.Options {
        var options = LiveReceiver.Options(settings: ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1)), grid: .fixed(grid))
        options.port = port
        options.maxFrames = 20
        options.reconnect = false
        options.duration = 150  // a deadline only
        options.output = output
        options.allowEmpty = allowEmpty
        return options
    }

    /// 20 synthetic frames into `grid`, writing `output`.
    static func listen(into grid: VolumeGeometry, output: String, allowEmpty: Bool) async throws -> Result<LiveReceiver.Summary, Error> {
        let (replayer, replay, port) = try await startReplay(SyntheticReplaySource(width: 32, height: 24, fps: 30)) { $0.loop = true }
        let result = await receiveLive(Self.options(grid: grid, port: port, output: output, allowEmpty: allowEmpty))
        replayer.stop()
        _ = try? await withTimeout(300, "the replayer to finish") { try await replay.result.get() }
        return result
    }

    @Test(.timeLimit(.minutes(10)))
    func listenRefusesToWriteAnEmptyVolume() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("empty-live-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/volume.nrrd"

        let refused = try await Self.listen(into: Self.farGrid, output: output, allowEmpty: false)
        guard case .failure(ReconstructionError.emptyResult(let why)) = refused else {
            Issue.record("expected an empty-result failure, got \(refused)"); return
        }
        #expect(why.contains("wholly outside the grid"), "\(why)")
        #expect(!FileManager.default.fileExists(atPath: output))

        let allowed = try await Self.listen(into: Self.farGrid, output: output, allowEmpty: true)
        #expect((try? allowed.get())?.outputPath == output)
        #expect(FileManager.default.fileExists(atPath: output))
    }

    /// Plus Remote on Slicer's ROI grid (z 0...11): frames at z = 20... land outside it, so the
    /// snapshot and the stop fail and say why; after a resume with frames inside, the stop succeeds.
    @Test func plusRemoteSnapshotAndStopOfAnEmptyVolumeFail() throws {
        let dir = try PlusRemoteTests.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try PlusRemoteTests.controller(dir)
        #expect(PlusRemoteTests.run(c.handle(PlusRemoteTests.command(PlusRemoteTests.Slicer.startReconstruction))).reply.contains(#"Status="SUCCESS""#))
        c.observe(PlusRemoteTests.frames(20..<24))

        let snapshot = PlusRemoteTests.run(c.handle(PlusRemoteTests.command(PlusRemoteTests.Slicer.snapshot)))
        #expect(snapshot.reply.contains(#"Status="FAIL""#), "\(snapshot.reply)")
        #expect(snapshot.reply.contains("wholly outside the grid"), "\(snapshot.reply)")
        #expect(snapshot.images.isEmpty)
        let stop = PlusRemoteTests.run(c.handle(PlusRemoteTests.command(PlusRemoteTests.Slicer.stopReconstruction)))
        #expect(stop.reply.contains(#"Status="FAIL""#) && stop.reply.contains("the volume is empty"), "\(stop.reply)")
        #expect(stop.images.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)

        #expect(PlusRemoteTests.run(c.handle(PlusRemoteTests.command(#"<Command Name="ResumeVolumeReconstruction"/>"#))).reply.contains("SUCCESS"))
        c.observe(PlusRemoteTests.frames(0..<4))
        let second = PlusRemoteTests.run(c.handle(PlusRemoteTests.command(PlusRemoteTests.Slicer.stopReconstruction)))
        #expect(second.reply.contains(#"Status="SUCCESS""#), "\(second.reply)")
        #expect(second.images.count == 1)
    }
}
