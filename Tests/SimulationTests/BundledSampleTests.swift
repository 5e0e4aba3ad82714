import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Reconstruction
import Recordings
import Testing
@testable import Simulation

/// Recordings/phantom-sweep.* is exactly what the command in Recordings/README.md makes,
/// and it reconstructs with its own configuration to the phantom's geometry.
@Suite struct BundledSampleTests {
    static let folder = PlusData.packageRoot.appendingPathComponent("Recordings")
    /// `freehand simulate -o Recordings/phantom-sweep.igs.mha --invalid-frames 60`
    static let simulator = SweepSimulator.standardSweep(invalidFrames: [60])

    @Test func sampleIsWhatTheDocumentedCommandMakes() throws {
        let sequence = try SequenceFile.read(Self.folder.appendingPathComponent("phantom-sweep.igs.mha").path)
        #expect(sequence.frames.count == 120)
        var differingImages = 0
        for (i, frame) in sequence.frames.enumerated() {
            let expected = Self.simulator.frame(i)
            if frame.image != expected.image { differingImages += 1 }
            #expect(abs(frame.timestamp - expected.timestamp) < 1e-9)
            for (name, t) in expected.transforms {
                #expect(frame.transforms[name]?.status == t.status, "frame \(i) \(name)")
                #expect((frame.transforms[name]?.matrix.maxDifference(to: t.matrix) ?? 1) < 1e-9, "frame \(i) \(name)")
            }
        }
        #expect(differingImages == 0, "regenerate the sample with the command in Recordings/README.md")
        let config = try String(contentsOf: Self.folder.appendingPathComponent("phantom-sweep.config.xml"), encoding: .utf8)
        #expect(config == Self.simulator.deviceSetConfiguration(outputSpacing: 0.5, sequenceFileName: "phantom-sweep.igs.mha"))
        let truth = try String(contentsOf: Self.folder.appendingPathComponent("phantom-sweep.truth.json"), encoding: .utf8)
        #expect(truth == Self.simulator.groundTruthJSON())
        // Small enough to keep in the repository.
        let size = try FileManager.default.attributesOfItem(atPath: Self.folder.appendingPathComponent("phantom-sweep.igs.mha").path)[.size] as? Int ?? 0
        #expect(size < 5_000_000)
    }

    /// Reconstructed with its configuration (0.5 mm, nearest neighbour, MEAN), the sample shows
    /// the spheres where the ground truth puts them. Measured: centre errors 0.078, 0.009,
    /// 0.068 mm; RMSE 9.77 over 861,891 hit voxels of a 110 x 86 x 112 grid (tolerance 20 %
    /// above; MEAN compounding of about two frames per voxel halves the speckle variance).
    @Test func sampleReconstructsToTheGroundTruth() throws {
        let configuration = try DeviceSetConfiguration.load(Self.folder.appendingPathComponent("phantom-sweep.config.xml").path)
        let element = try #require(configuration.volumeReconstruction)
        let settings = try ReconstructionSettings(element: element)
        let sequence = try SequenceFile.read(Self.folder.appendingPathComponent("phantom-sweep.igs.mha").path)
        let calibration = configuration.transformRepository()
        var grid = OutputGridBuilder(settings: settings)
        for frame in sequence.frames {
            grid.add(width: frame.image.width, height: frame.image.height,
                     imageToReference: VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: settings.imageToReferenceName))
        }
        let geometry = try grid.geometry()
        let reconstructor = try VolumeReconstructor(settings: settings, geometry: geometry, calibration: calibration)
        try reconstructor.add(frames: sequence.frames)
        #expect(reconstructor.statistics.framesSkippedInvalidTransform == 1)
        let volume = try #require(reconstructor.volumeUInt8())
        let accumulation = reconstructor.accumulation().voxels
        let truth = Self.simulator.phantom.groundTruth(on: geometry)
        var sum = 0.0, hit = 0
        for i in volume.voxels.indices where accumulation[i] != 0 {
            let d = Double(volume.voxels[i]) - Double(truth.voxels[i])
            sum += d * d
            hit += 1
        }
        let rmse = (sum / Double(hit)).squareRoot()
        var errors: [Double] = []
        for case let .sphere(c, r, intensity) in Self.simulator.phantom.objects {
            let threshold = (intensity + Self.simulator.phantom.background) / 2
            var centroid = SIMD3<Double>.zero, n = 0
            for k in 0..<geometry.dimensions.z { for j in 0..<geometry.dimensions.y { for i in 0..<geometry.dimensions.x {
                let p = geometry.position(i, j, k)
                let d = p - c
                guard (d * d).sum() <= (r + 2) * (r + 2) else { continue }
                let index = geometry.index(i, j, k)
                guard accumulation[index] != 0 else { continue }
                let v = Double(volume.voxels[index])
                if intensity > Self.simulator.phantom.background ? v > threshold : v < threshold { centroid += p; n += 1 }
            } } }
            let e = centroid / Double(max(n, 1)) - c
            errors.append((e * e).sum().squareRoot())
        }
        print("bundled sample: grid \(geometry.dimensions), RMSE \(rmse) over \(hit) hit voxels, sphere centre errors (mm) \(errors)")
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0 < 0.25 })  // half a 0.5 mm voxel
        #expect(rmse < 12)
    }
}
