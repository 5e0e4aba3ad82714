import Geometry
import Imaging
import Testing
@testable import Simulation

@Suite struct PhantomTests {
    /// The row intervals used for rendering agree with the point containment test.
    @Test func intervalsAgreeWithContainment() {
        var rng = SplitMix64(seed: 42)
        let objects: [PhantomObject] = [
            .sphere(center: SIMD3(1, 2, 3), radius: 5, intensity: 1),
            .wire(start: SIMD3(-10, 0, 0), end: SIMD3(10, 4, 6), radius: 1.5, intensity: 1),
            .slab(normal: SIMD3(0, 0.6, 0.8), near: 1, far: 4, intensity: 1),
        ]
        var checked = 0
        for object in objects {
            for _ in 0..<300 {
                let o = SIMD3(rng.uniform(-15...15), rng.uniform(-15...15), rng.uniform(-15...15))
                let u = SIMD3(rng.uniform(-1...1), rng.uniform(-1...1), rng.uniform(-1...1))
                let span = object.interval(origin: o, step: u)
                for t in stride(from: -40.0, through: 40.0, by: 0.37) {
                    // Points within 1e-9 of an interval end may go either way.
                    if let s = span, abs(t - s.lowerBound) < 1e-9 || abs(t - s.upperBound) < 1e-9 { continue }
                    let inside = object.contains(o + t * u)
                    let inSpan = span.map { $0.contains(t) } ?? false
                    #expect(inside == inSpan, "object \(object) at t = \(t)")
                    checked += 1
                }
            }
        }
        #expect(checked > 100_000)
    }

    @Test func laterObjectsPaintOverEarlierOnes() {
        let phantom = Phantom(objects: [
            .sphere(center: .zero, radius: 10, intensity: 100),
            .sphere(center: .zero, radius: 2, intensity: 7),
        ], background: 50, speckle: 0)
        #expect(phantom.intensity(at: SIMD3(0, 0, 1)) == 7)
        #expect(phantom.intensity(at: SIMD3(0, 5, 0)) == 100)
        #expect(phantom.intensity(at: SIMD3(0, 11, 0)) == 50)
    }

    /// The voxelised ground truth equals the analytic intensity at every voxel centre.
    @Test func groundTruthVolumeMatchesAnalyticIntensity() {
        let geometry = VolumeGeometry(dimensions: SIMD3(41, 33, 25), spacing: SIMD3(1.3, 1.3, 2.5),
                                      origin: SIMD3(-26, -1, 0.5))
        let volume = Phantom.standard.groundTruth(on: geometry)
        var mismatches = 0
        for k in 0..<25 { for j in 0..<33 { for i in 0..<41 {
            if Double(volume[i, j, k]) != Phantom.standard.intensity(at: geometry.position(i, j, k)) { mismatches += 1 }
        } } }
        #expect(mismatches == 0)
        // Every object shows up.
        let values = Set(volume.voxels)
        #expect(values.isSuperset(of: [60, 220, 200, 8, 160]))
    }

    /// The box-averaged ground truth is the share of each voxel an object fills: a slab from
    /// z = 0 to 10 (90 on a background of 0) fills half of the 1 mm voxel centred on z = 0
    /// (2 x 2 x 2 samples at z = -0.25 and 0.25), all of the one at z = 1, none at z = -1.
    @Test func boxAveragedTruthIsTheFilledShare() {
        let phantom = Phantom(objects: [.slab(normal: SIMD3(0, 0, 1), near: 0, far: 10, intensity: 90)], background: 0, speckle: 0)
        let geometry = VolumeGeometry(dimensions: SIMD3(3, 2, 3), spacing: SIMD3(1, 1, 1), origin: SIMD3(0, 0, -1))
        let volume = phantom.boxAveragedTruth(on: geometry, samples: 2)
        for j in 0..<2 { for i in 0..<3 {
            #expect(volume[i, j, 0] == 0 && volume[i, j, 1] == 45 && volume[i, j, 2] == 90, "voxel column (\(i), \(j))")
        } }
    }
}
