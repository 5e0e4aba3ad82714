import Geometry
import Imaging
import Reconstruction
import Testing
@testable import Simulation

/// Reconstructs simulated sweeps with `VolumeReconstructor` and compares with the phantom.
@Suite struct ReconstructionGroundTruthTests {
    /// A 128 x 100 probe with 0.4 mm pixels (the standard phantom's 51 x 40 mm field),
    /// 60 frames over 52 mm, standard wobble, reconstructed at 1 mm.
    func simulator(speckle: Double, frames: Int = 60) -> SweepSimulator {
        var phantom = Phantom.standard
        phantom.speckle = speckle
        return SweepSimulator(phantom: phantom, probe: LinearProbe(width: 128, height: 100, spacing: SIMD2(0.4, 0.4)),
                              frameCount: frames, invalidFrames: [17])
    }

    func sphereCentreErrors(_ score: GroundTruthScoring) -> [Double] {
        score.simulator.phantom.objects.compactMap { object -> Double? in
            guard case let .sphere(c, r, i) = object, let found = score.blobCentroid(score.volume.voxels, center: c, radius: r, intensity: i)
            else { return nil }
            let d = found - c
            return (d * d).sum().squareRoot()
        }
    }

    /// Without speckle the only error is where nearest-neighbour pasting puts object edges
    /// (an edge voxel takes the value of whichever side the nearest pixel fell on, so it is
    /// right or off by the whole step of up to 195 grey levels). Measured: RMSE 14.06 over
    /// 90,150 hit voxels of a 55 x 43 x 56 grid; sphere centres off by 0.167, 0.110, 0.064 mm.
    /// Tolerances: RMSE 25 % above the measurement; centres under 0.3 mm (0.3 voxel), well
    /// below the one-voxel error a wrong pixel or voxel origin convention would cause.
    @Test func noiseFreeSweepMatchesTheGroundTruth() throws {
        let score = try GroundTruthScoring(simulator(speckle: 0), spacing: 1)
        let hit = score.rmse(score.volume.voxels) { score.accumulation[$0] != 0 }
        print("noise-free: grid \(score.geometry.dimensions), RMSE \(hit.rmse) over \(hit.count) hit voxels; empty in region \(score.emptyRegionVoxels)")
        #expect(hit.count > 50_000)
        #expect(hit.rmse < 17.5)
        let errors = sphereCentreErrors(score)
        print("noise-free sphere centre errors (mm): \(errors)")
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0 < 0.3 })
    }

    /// With 20 % speckle, RMSE grows by the speckle that MEAN compounding of one to two
    /// frames per voxel leaves. Measured: RMSE 15.34; centres off by 0.155, 0.110, 0.073 mm.
    @Test func speckledSweepMatchesTheGroundTruth() throws {
        let score = try GroundTruthScoring(simulator(speckle: 0.2), spacing: 1)
        let hit = score.rmse(score.volume.voxels) { score.accumulation[$0] != 0 }
        print("speckle 0.2: RMSE \(hit.rmse) over \(hit.count) hit voxels")
        #expect(hit.rmse < 19)
        let errors = sphereCentreErrors(score)
        print("speckle 0.2 sphere centre errors (mm): \(errors)")
        #expect(errors.count == 3)
        #expect(errors.allSatisfy { $0 < 0.3 })
    }

    /// A sparse sweep (14 frames, 4 mm apart, at 1 mm voxels) leaves most of the swept region
    /// empty; PLUS's sample kernels (GAUSSIAN 3 then STICK 9) fill it and bring the region's
    /// RMSE (empty voxels count as 0) close to that of the hit voxels. Measured: 94,631 region
    /// voxels, empty 71,726 -> 9, region RMSE 67.9 -> 16.7; hit voxels 15.8, filled voxels 16.9.
    @Test func holeFillingFillsASparseSweep() throws {
        let score = try GroundTruthScoring(simulator(speckle: 0.2, frames: 14), spacing: 1)
        let filler = HoleFiller(elements: [
            HoleFillingElement(kind: .gaussian, size: 3, stdev: 0.6667, minimumKnownVoxelsRatio: 0.50001),
            HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1),
        ])
        let filled = filler.fill(score.volume, accumulation: score.accumulation)
        let emptyBefore = score.emptyRegionVoxels
        let emptyAfter = score.accumulation.indices.filter { score.region[$0] && score.accumulation[$0] == 0 && filled.voxels[$0] == 0 }.count
        let before = score.rmse(score.volume.voxels) { _ in true }
        let after = score.rmse(filled.voxels) { _ in true }
        let hitOnly = score.rmse(score.volume.voxels) { score.accumulation[$0] != 0 }
        let filledOnly = score.rmse(filled.voxels) { score.accumulation[$0] == 0 }
        print("sparse sweep: region \(before.count) voxels, empty \(emptyBefore) -> \(emptyAfter); RMSE \(before.rmse) -> \(after.rmse); hit voxels \(hitOnly.rmse), filled voxels \(filledOnly.rmse)")
        #expect(emptyBefore > before.count / 2)
        #expect(emptyAfter < emptyBefore / 100)
        #expect(after.rmse < before.rmse / 2)
        // Filled voxels are about as good as pasted ones (interpolating across 4 mm gaps).
        #expect(filledOnly.rmse < 1.5 * hitOnly.rmse)
        // Thread count does not change the result.
        var single = filler
        single.numberOfThreads = 1
        #expect(single.fill(score.volume, accumulation: score.accumulation).voxels == filled.voxels)
    }
}
