import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Reconstruction
import Recordings
import Testing
@testable import Simulation

/// The files `freehand simulate` writes reconstruct like the in-memory sweep.
@Suite struct SimulatedRecordingTests {
    @Test func writtenSweepAndConfigurationReconstructLikeTheSimulation() throws {
        let simulator = SweepSimulator(probe: LinearProbe(width: 96, height: 75, spacing: SIMD2(0.53, 0.53)),
                                       frameCount: 40, invalidFrames: [5, 6])
        let directory = PlusData.temporaryDirectory("freehand-sim")
        defer { try? FileManager.default.removeItem(at: directory) }
        let sequencePath = directory.appendingPathComponent("sweep.igs.mha").path
        let configPath = directory.appendingPathComponent("sweep.config.xml").path
        let sequence = simulator.makeSequence()
        try SequenceFile.write(sequence, to: sequencePath)
        try simulator.deviceSetConfiguration(outputSpacing: 1, sequenceFileName: "sweep.igs.mha")
            .write(toFile: configPath, atomically: true, encoding: .utf8)

        let read = try SequenceFile.read(sequencePath)
        #expect(read.frames.count == 40)
        for (a, b) in zip(read.frames, sequence.frames) {
            #expect(a.image == b.image)
            #expect(a.transforms.keys.sorted(by: { $0.description < $1.description }) == b.transforms.keys.sorted(by: { $0.description < $1.description }))
            for (name, t) in b.transforms {
                #expect(a.transforms[name]?.status == t.status)
                #expect((a.transforms[name]?.matrix.maxDifference(to: t.matrix) ?? 1) < 1e-9)
            }
        }

        let configuration = try DeviceSetConfiguration.load(configPath)
        let element = try #require(configuration.volumeReconstruction)
        let settings = try ReconstructionSettings(element: element)
        #expect(settings.outputSpacing == SIMD3(1, 1, 1))
        let calibration = configuration.transformRepository()
        #expect(try calibration.transform(TransformName("ImageToProbe")!).matrix.maxDifference(to: simulator.probe.imageToProbe) < 1e-6)  // written as %.9g

        func reconstruct(_ frames: [TrackedFrame]) throws -> (Volume<UInt8>, Int) {
            var grid = OutputGridBuilder(settings: settings)
            for frame in frames {
                let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: settings.imageToReferenceName)
                grid.add(width: frame.image.width, height: frame.image.height, imageToReference: m)
            }
            let r = try VolumeReconstructor(settings: settings, geometry: try grid.geometry(), calibration: calibration)
            try r.add(frames: frames)
            return (r.volumeUInt8()!, r.statistics.framesSkippedInvalidTransform)
        }
        let (fromFile, skipped) = try reconstruct(read.frames)
        let (inMemory, _) = try reconstruct(sequence.frames)
        #expect(skipped == 2)
        #expect(fromFile.geometry == inMemory.geometry)
        // The file keeps transforms to 9+ significant digits, so a handful of voxels on pixel
        // boundaries may round the other way; nearly all are identical.
        let differing = zip(fromFile.voxels, inMemory.voxels).filter { $0 != $1 }.count
        #expect(differing <= fromFile.voxels.count / 1000)
    }
}
