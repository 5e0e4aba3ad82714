import FreehandTestSupport
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Testing
@testable import Live

/// `listen --grid-from` and `reconstruct` compute one grid, whatever SkipInterval says.
@Suite struct LiveGridTests {
    static let recording = PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.igs.mha").path

    /// With SkipInterval 5 over the bundled 120-frame sweep, pasting uses frames 0, 5, ..., 115,
    /// but the extent (PLUS's SetOutputExtentFromFrameList) covers every frame, up to 119. The
    /// live grid taken from the recording must be that same grid, not the extent of the pasted
    /// frames only (which is what the live path computed before, a different grid).
    @Test func gridFromEqualsTheOfflineGridWithSkipInterval() throws {
        var request = ReconstructionSetup.Request(recording: Self.recording)
        request.skipInterval = 5
        let setup = try ReconstructionSetup(request)
        #expect(setup.configPath != nil, "the bundled sample's config.xml is found beside it")
        let offline = try setup.pipeline().run(path: Self.recording)
        #expect(offline.framesSkippedByInterval == 96)

        let live = try setup.liveGrid(gridFrom: Self.recording, automatic: .automatic(frames: 30, margin: 10))
        #expect(live == .fixed(offline.volume.geometry))

        // The extent of only the pasted frames differs: the test would catch a SkipInterval-thinned extent.
        let settings = try setup.requiredSettings()
        var thinned = OutputGridBuilder(settings: settings)
        var reader = try SequenceReader(path: Self.recording)
        var i = 0
        while let frame = try reader.next() {
            defer { i += 1 }
            guard i % 5 == 0 else { continue }
            let m = VolumeReconstructor.imageToReference(for: frame, calibration: setup.calibration, name: settings.imageToReferenceName)
            thinned.add(width: frame.image.width, height: frame.image.height, imageToReference: m)
        }
        #expect(try thinned.geometry() != offline.volume.geometry)
    }

    /// `--origin`/`--extent` fix the grid for every command alike.
    @Test func originAndExtentFixTheGrid() throws {
        var request = ReconstructionSetup.Request(recording: Self.recording)
        request.origin = SIMD3(1, 2, 3)
        request.extent = [0, 9, 0, 19, 0, 29]
        let setup = try ReconstructionSetup(request)
        let g = try setup.grid(ofRecording: Self.recording)
        #expect(g.dimensions == SIMD3(10, 20, 30) && g.origin == SIMD3(1, 2, 3))
        #expect(try setup.liveGrid(gridFrom: nil, automatic: .automatic(frames: 30, margin: 10)) == .fixed(g))
    }
}
