import Dispatch
import Geometry
import Imaging

/// The part of space a sweep covered: between the first and last image planes and, near
/// each point, inside the image rectangle of the frame closest along the sweep. Used to score
/// reconstructions only where data could exist (and to count holes there).
public struct SweptRegion: Sendable {
    /// `ReferenceToImage` of every frame with a valid pose, in sweep order, scaled to mm
    /// (image x, y and the plane-normal distance all in mm, origin at the top-left pixel).
    let referenceToImageMM: [Transform3D]
    let sweepOrigin: SIMD3<Double>
    let sweepAxis: SIMD3<Double>
    let sweepLength: Double
    let imageSizeMM: SIMD2<Double>

    /// The region swept by `simulator`'s valid frames.
    public init(_ simulator: SweepSimulator) {
        let scale = Transform3D.scaling(SIMD3(simulator.probe.spacing.x, simulator.probe.spacing.y,
                                              (simulator.probe.spacing.x + simulator.probe.spacing.y) / 2))
        var transforms: [Transform3D] = []
        for i in 0..<simulator.frameCount where !simulator.invalidFrames.contains(i) {
            // ImageMM = scale * Image; ReferenceToImageMM = scale * inv(ImageToReference).
            let imageToReference = simulator.imageToReference(frame: i)
            transforms.append(scale * (imageToReference.inverse ?? .identity))
        }
        referenceToImageMM = transforms
        let a = simulator.trajectory.start, b = simulator.trajectory.end
        let d = b - a
        let length = (d * d).sum().squareRoot()
        sweepOrigin = a
        sweepAxis = length > 0 ? d / length : SIMD3(0, 0, 1)
        sweepLength = length
        imageSizeMM = simulator.probe.fieldOfView
    }

    /// Whether `p` (Reference mm) lies at least `margin` mm inside the swept region.
    public func contains(_ p: SIMD3<Double>, margin: Double = 0) -> Bool {
        guard let first = referenceToImageMM.first, let last = referenceToImageMM.last else { return false }
        // Between the first and the last plane (the image normal points along the sweep).
        let z0 = first.apply(p).z, z1 = last.apply(p).z
        guard z0 * z1 <= 0, min(abs(z0), abs(z1)) >= margin else { return false }
        // In-plane position in the frame nearest along the sweep.
        let s = ((p - sweepOrigin) * sweepAxis).sum() / max(sweepLength, 1e-9)
        let index = min(max(Int((s * Double(referenceToImageMM.count - 1)).rounded()), 0), referenceToImageMM.count - 1)
        let q = referenceToImageMM[index].apply(p)
        return q.x >= margin && q.x <= imageSizeMM.x - margin && q.y >= margin && q.y <= imageSizeMM.y - margin
    }

    /// One flag per voxel of `geometry`: whether its centre lies `margin` mm inside the region.
    public func mask(on geometry: VolumeGeometry, margin: Double = 0) -> [Bool] {
        var mask = [Bool](repeating: false, count: geometry.voxelCount)
        mask.withSharedBuffer { out in
            DispatchQueue.concurrentPerform(iterations: geometry.dimensions.z) { k in
                for j in 0..<geometry.dimensions.y {
                    for i in 0..<geometry.dimensions.x where contains(geometry.position(i, j, k), margin: margin) {
                        out[geometry.index(i, j, k)] = true
                    }
                }
            }
        }
        return mask
    }
}
