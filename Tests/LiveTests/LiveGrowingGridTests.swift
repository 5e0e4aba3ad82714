import FreehandTestSupport
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Testing
@testable import Live

/// `listen` without a grid hint: the grid grows with the sweep, and the final volume is the one
/// `freehand reconstruct` computes with its automatic extent. On a fixed grid, frames outside it
/// are counted, and the counts still add up.
@Suite struct LiveGrowingGridTests {
    /// The simulated sweep bundled with the repository (`freehand simulate`, 120 frames of 256x200).
    static let simulated = PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.igs.mha").path

    /// Replays `path` (with `setup`'s calibration) as fast as the receiver takes it into a
    /// `LiveReceiver` on `grid`, until `frames` images arrived (small async frame: Swift 6.3.1
    /// under-allocates large async test frames).
    static func replayIntoListen(_ setup: ReconstructionSetup, grid: LiveGrid, frames: Int,
                                 budget: MemoryBudget = .default) async throws -> LiveReceiver.Summary {
        let (_, replay, port) = try await startReplay(try RecordingReplaySource(setup: setup)) { $0.asFastAsPossible = true }
        var options = LiveReceiver.Options(settings: try setup.requiredSettings(), grid: grid)
        options.port = port
        options.maxFrames = frames
        options.reconnect = false
        options.duration = 840  // a hang deadline only: the completion condition is `frames` received
        options.lossless = true  // compare every frame
        options.memoryBudget = budget
        options.notice = { print("listen: " + $0) }
        let live = try await LiveReceiver(options: options).run()
        _ = try await withTimeout(600, "the replayer to finish") { try await replay.result.get() }
        return live
    }

    /// Voxels differing between two 8-bit volumes, the largest difference, and the fraction
    /// within 2 grey levels.
    static func compare(_ a: Volume<UInt8>, _ b: Volume<UInt8>) -> (differing: Int, maximum: Int, within2: Double) {
        var differing = 0, maximum = 0, within = 0
        for (x, y) in zip(a.voxels, b.voxels) {
            let d = abs(Int(x) - Int(y))
            if d != 0 { differing += 1 }
            if d <= 2 { within += 1 }
            maximum = max(maximum, d)
        }
        return (differing, maximum, Double(within) / Double(max(1, a.voxels.count)))
    }

    /// Live without a grid hint against offline with automatic extent: same dimensions and
    /// spacing, origin within float32 rounding of the frame corners (the IMAGE matrix travels as
    /// float32: a corner coordinate is a translation plus two in-plane terms, each of magnitude at
    /// most the largest grid coordinate plus the grid's span, each rounded by half a float32 ulp,
    /// so 4 ulps of that bound is safe), >= 99.9 % of voxels within 2 grey levels.
    static func expectEqualsOffline(_ live: LiveReceiver.Summary, _ offline: RecordingReconstruction.Result, _ label: String) throws {
        guard case .uint8(let l)? = live.volume, case .uint8(let o) = offline.volume else {
            Issue.record("expected 8-bit volumes"); return
        }
        let lg = l.geometry, og = o.geometry
        #expect(lg.dimensions == og.dimensions && lg.spacing == og.spacing)
        let far = og.origin + og.spacing * SIMD3(Double(og.dimensions.x), Double(og.dimensions.y), Double(og.dimensions.z))
        let scale = (0..<3).map { max(abs(og.origin[$0]), abs(far[$0])) + abs(far[$0] - og.origin[$0]) }.max()!
        let tolerance = 4 * Double(Float.ulpOfOne) * scale
        let originError = (0..<3).map { abs(lg.origin[$0] - og.origin[$0]) }.max()!
        #expect(originError <= tolerance, "origin \(lg.origin) vs offline \(og.origin)")
        guard lg.dimensions == og.dimensions else { return }
        let c = compare(l, o)
        print("\(label): live (no grid hint) vs offline automatic extent: \(lg.dimensions.x)x\(lg.dimensions.y)x\(lg.dimensions.z), origin differs by \(originError) mm (tolerance \(tolerance)); \(c.differing) of \(l.voxels.count) voxels differ, max |difference| \(c.maximum), \(String(format: "%.4f", c.within2 * 100)) % within 2 grey levels; grid grew \(live.status.gridGrowths) times")
        #expect(c.within2 >= 0.999)
    }

    /// The simulated 120-frame sweep: the working grid from the first 30 frames (+10 mm) covers
    /// under half of it, so it must grow; the result equals the offline reconstruction.
    @Test(.timeLimit(.minutes(15)))  // a hang deadline only
    func simulatedSweepEqualsOfflineAutomaticExtent() async throws {
        let setup = try ReconstructionSetup(.init(recording: Self.simulated))
        let offline = try await offPool { try setup.pipeline().run(path: Self.simulated) }
        // Frames with an INVALID pose are not sent (as PlusServer): every pasted frame arrives.
        let sent = offline.statistics.framesPasted
        let live = try await Self.replayIntoListen(setup, grid: .automatic(frames: 30, margin: 10), frames: sent)
        let s = live.status
        #expect(s.imagesReceived == sent && s.framesCompounded == sent)
        #expect(s.imagesReceived == s.framesCompounded + s.framesDropped + s.framesRejected + s.framesSkipped)
        #expect(s.gridGrowths >= 1 && s.gridFrozen == nil)
        #expect(s.framesOutsideGrid == 0 && s.framesPartlyOutsideGrid == 0)
        try Self.expectEqualsOffline(live, offline, "simulated sweep")
    }

    /// PLUS's spine phantom sweep (21 frames), from a working grid of its first 5 frames.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason), .timeLimit(.minutes(15)))  // a hang deadline only
    func plusSpineSweepEqualsOfflineAutomaticExtent() async throws {
        let path = PlusData.path(LiveReplayListenTests.recording)
        let setup = try ReconstructionSetup(.init(recording: path, config: PlusData.path(LiveReplayListenTests.config)))
        let offline = try await offPool { try setup.pipeline().run(path: path) }
        let live = try await Self.replayIntoListen(setup, grid: .automatic(frames: 5, margin: 10), frames: 21)
        #expect(live.status.imagesReceived == 21 && live.status.framesCompounded == offline.statistics.framesPasted)
        #expect(live.status.gridGrowths >= 1)
        try Self.expectEqualsOffline(live, offline, "PLUS spine sweep")
    }

    /// A fixed grid holding only the first part of the sweep along its longest axis: frames
    /// reaching beyond it are counted partly or wholly outside (numbers checked against the
    /// frames' corners computed here), still counted as compounded, and the counts add up.
    @Test(.timeLimit(.minutes(15)))  // a hang deadline only
    func fixedGridCountsFramesOutside() async throws {
        let setup = try ReconstructionSetup(.init(recording: Self.simulated))
        var grid = try setup.grid(ofRecording: Self.simulated)
        let axis = (0..<3).max { grid.dimensions[$0] < grid.dimensions[$1] }!
        grid.dimensions[axis] /= 2
        let expected = try Self.outsideCounts(setup, grid: grid, axis: axis)
        #expect(expected.wholly > 0 && expected.partly > 0)

        let live = try await Self.replayIntoListen(setup, grid: .fixed(grid), frames: expected.sent)
        let s = live.status
        #expect(s.imagesReceived == expected.sent)
        #expect(s.imagesReceived == s.framesCompounded + s.framesDropped + s.framesRejected + s.framesSkipped)
        #expect(s.framesCompounded == expected.sent && s.gridFixed)
        #expect(s.framesPartlyOutsideGrid == expected.partly && s.framesOutsideGrid == expected.wholly)
        #expect(live.description.contains("outside the grid: \(expected.partly) partly, \(expected.wholly) wholly"))
        print("fixed half grid: \(s.countsLine)")
    }

    /// Frames of the recording whose pixel-centre corners cross the end of `grid` along `axis`
    /// (the other axes cover the whole sweep): partly (some corners beyond) and wholly (all
    /// beyond), and the frames with a valid pose (those the replayer sends).
    static func outsideCounts(_ setup: ReconstructionSetup, grid: VolumeGeometry, axis: Int) throws -> (partly: Int, wholly: Int, sent: Int) {
        let name = try setup.requiredSettings().imageToReferenceName
        let end = grid.origin[axis] + (Double(grid.dimensions[axis]) - 0.5) * grid.spacing[axis]
        var reader = try SequenceReader(path: simulated)
        var partly = 0, wholly = 0, sent = 0
        while let frame = try reader.next() {
            guard let m = VolumeReconstructor.imageToReference(for: frame, calibration: setup.calibration, name: name) else { continue }
            sent += 1
            let w = Double(frame.image.width - 1), h = Double(frame.image.height - 1)
            let beyond = [SIMD3(0, 0, 0), SIMD3(w, 0, 0), SIMD3(0, h, 0), SIMD3(w, h, 0)].count(where: { m.apply($0)[axis] > end })
            if beyond == 4 { wholly += 1 } else if beyond > 0 { partly += 1 }
        }
        return (partly, wholly, sent)
    }
}

/// The growing grid without a network: exactness and the memory bound.
@Suite struct GrowingGridTests {
    /// 20x10 frames of 1 mm pixels, the n-th tilted a little and 1.5 mm further along z.
    static func frames(_ count: Int) -> [PairedFrame] {
        (0..<count).map { n in
            let bytes = (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ n &* 13) }
            let pose = Transform3D.translation(SIMD3(0.3 * Double(n), 0, 1.5 * Double(n)))
                * Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: 0.01 * Double(n))
            return PairedFrame(image: Image(width: 20, height: 10, bytes: bytes), timestamp: Double(n), receivedAt: 0,
                               deviceName: "Image_Reference", imageToReference: pose)
        }
    }

    /// Fed two at a time from a grid of the first 4 frames, the grid grows a few times
    /// (amortised) and ends bit-identical to pasting every frame into PLUS's automatic extent.
    @Test func growsAndEndsOnTheExactAutomaticExtent() throws {
        let settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
        let all = Self.frames(60)
        let compounder = try LiveCompounder(settings: settings, grid: .automatic(frames: 4, margin: 2))
        for start in stride(from: 0, to: all.count, by: 2) { try compounder.add(Array(all[start..<start + 2])) }
        #expect(compounder.gridGrowths >= 1 && compounder.gridGrowths <= 8)
        try compounder.finishGrid()

        var builder = OutputGridBuilder(settings: settings)
        for f in all { builder.add(width: 20, height: 10, imageToReference: f.imageToReference) }
        let reference = try VolumeReconstructor(settings: settings, geometry: try builder.geometry())
        for f in all { try reference.add(image: f.image, imageToReference: f.imageToReference!) }
        #expect(compounder.geometry == reference.geometry)
        guard case .uint8(let live)? = compounder.finalVolume(fillHoles: false) else { Issue.record("no volume"); return }
        #expect(live.voxels == reference.volumeUInt8()?.voxels)
        #expect(compounder.framesCompounded == 60 && compounder.framesOutside == 0 && compounder.gridFrozen == nil)
    }

    /// With a budget too small to keep every frame, the grid stops growing with a notice naming
    /// --max-memory; later frames beyond it are counted outside, none is lost from the counts.
    @Test func stopsGrowingAtTheMemoryBound() throws {
        let settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
        let budget = MemoryBudget(limitBytes: 40_000)
        let compounder = try LiveCompounder(settings: settings, grid: .automatic(frames: 4, margin: 2), memoryBudget: budget)
        for f in Self.frames(60) { try compounder.add([f]) }
        try compounder.finishGrid()
        let notices = compounder.takeNotices()
        #expect(compounder.gridFrozen?.contains("--max-memory") == true)
        #expect(notices.contains { $0.contains("stops growing") })
        #expect(compounder.isGridFixed)
        #expect(compounder.framesCompounded == 60)
        #expect(compounder.framesOutside + compounder.framesPartlyOutside > 0)
        let bytes = MemoryBudget.requiredBytes(for: try #require(compounder.geometry), scalarType: .uint8)!.bytes
        #expect(bytes <= budget.limitBytes)
    }

    /// A frame posed 1e10 mm away once the grid exists (a tracker fault) is refused and counted,
    /// never enters the extent, and leaves the grid as it was: the session goes on.
    @Test func refusesAnAbsurdPose() throws {
        let settings = ReconstructionSettings(outputSpacing: SIMD3(0.5, 0.5, 0.5))
        let compounder = try LiveCompounder(settings: settings, grid: .automatic(frames: 4, margin: 2))
        let frames = Self.frames(8)
        try compounder.add(Array(frames[0..<4]))
        let before = try #require(compounder.geometry)
        let far = PairedFrame(image: frames[4].image, timestamp: 4, receivedAt: 0, deviceName: "Image_Reference",
                              imageToReference: Transform3D.translation(SIMD3(1e10, 0, 0)))
        try compounder.add([far])
        #expect(compounder.geometry == before)
        #expect(compounder.framesRefused == 1 && compounder.lastRefusal?.contains("check the tracker") == true)
        try compounder.add(Array(frames[5..<8]))
        try compounder.finishGrid()
        #expect(compounder.framesCompounded == 7 && compounder.framesRefused == 1 && compounder.gridFrozen == nil)
    }
}
