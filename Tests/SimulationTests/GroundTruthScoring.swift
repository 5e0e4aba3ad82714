import Geometry
import Imaging
import Reconstruction
import Recordings
@testable import Simulation

/// Reconstructs simulated sweeps and scores the result against the phantom's ground truth.
struct GroundTruthScoring {
    let simulator: SweepSimulator
    let geometry: VolumeGeometry
    let volume: Volume<UInt8>
    let accumulation: [UInt16]
    let truth: Volume<Float>
    let region: [Bool]

    /// Reconstructs `simulator`'s sweep (nearest neighbour, MEAN, whole frame) at isotropic
    /// `spacing` on PLUS's automatic grid; the scoring region is the swept region shrunk by
    /// `margin` mm.
    init(_ simulator: SweepSimulator, spacing: Double, margin: Double = 1) throws {
        self.simulator = simulator
        let sequence = simulator.makeSequence()
        var calibration = TransformRepository()
        calibration.set(TransformName(from: "Image", to: "Probe"), simulator.probe.imageToProbe, persistent: true)
        let settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: spacing))
        var grid = OutputGridBuilder(settings: settings)
        for frame in sequence.frames {
            let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: settings.imageToReferenceName)
            grid.add(width: frame.image.width, height: frame.image.height, imageToReference: m)
        }
        geometry = try grid.geometry()
        let reconstructor = try VolumeReconstructor(settings: settings, geometry: geometry, calibration: calibration)
        try reconstructor.add(frames: sequence.frames)
        volume = reconstructor.volumeUInt8()!
        accumulation = reconstructor.accumulation().voxels
        truth = simulator.phantom.groundTruth(on: geometry)
        region = SweptRegion(simulator).mask(on: geometry, margin: margin)
    }

    /// Root-mean-square difference to the ground truth over region voxels accepted by `include`.
    func rmse(_ values: [UInt8], where include: (Int) -> Bool) -> (rmse: Double, count: Int) {
        var sum = 0.0
        var count = 0
        for i in values.indices where region[i] && include(i) {
            let d = Double(values[i]) - Double(truth.voxels[i])
            sum += d * d
            count += 1
        }
        return (count > 0 ? (sum / Double(count)).squareRoot() : 0, count)
    }

    /// Number of region voxels never hit.
    var emptyRegionVoxels: Int {
        accumulation.indices.filter { region[$0] && accumulation[$0] == 0 }.count
    }

    /// Centroid (mm) of the hit voxels within `radius + pad` of `center` whose value is on the
    /// sphere's side of the midpoint between the sphere's and the background's intensity.
    func blobCentroid(_ values: [UInt8], center: SIMD3<Double>, radius: Double, intensity: Double, pad: Double = 2) -> SIMD3<Double>? {
        let threshold = (intensity + simulator.phantom.background) / 2
        let bright = intensity > simulator.phantom.background
        let reach = radius + pad
        let lo = (center - reach - geometry.origin) / geometry.spacing
        let hi = (center + reach - geometry.origin) / geometry.spacing
        var sum = SIMD3<Double>.zero
        var count = 0
        for k in max(0, Int(lo.z.rounded(.down)))...min(geometry.dimensions.z - 1, Int(hi.z.rounded(.up))) {
            for j in max(0, Int(lo.y.rounded(.down)))...min(geometry.dimensions.y - 1, Int(hi.y.rounded(.up))) {
                for i in max(0, Int(lo.x.rounded(.down)))...min(geometry.dimensions.x - 1, Int(hi.x.rounded(.up))) {
                    let index = geometry.index(i, j, k)
                    guard accumulation[index] != 0 else { continue }
                    let p = geometry.position(i, j, k)
                    let d = p - center
                    guard (d * d).sum() <= reach * reach else { continue }
                    let v = Double(values[index])
                    if bright ? v > threshold : v < threshold {
                        sum += p
                        count += 1
                    }
                }
            }
        }
        return count > 0 ? sum / Double(count) : nil
    }
}
