#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry

/// The path of a freehand sweep: the probe's face centre moves along a straight line from
/// `start` to `end` (Reference mm) while the hand adds smooth, seeded wobble: lateral and
/// pressure (depth) translations and tilt / yaw / roll rotations, each a sum of two sinusoids
/// with random phases.
public struct SweepTrajectory: Sendable, Hashable {
    /// Probe origin at the first frame, Reference mm.
    public var start: SIMD3<Double>
    /// Probe origin at the last frame, Reference mm.
    public var end: SIMD3<Double>
    /// Peak lateral (x) and depth (y) wobble in mm.
    public var translationWobble: SIMD2<Double>
    /// Peak rotation wobble in degrees about the probe's x (tilt along the sweep),
    /// y (yaw about the beam axis) and z (roll) axes.
    public var rotationWobbleDegrees: SIMD3<Double>
    /// How many slow wobble periods fit in the sweep.
    public var wobbleCycles: Double
    /// Seed of the wobble phases.
    public var seed: UInt64

    public init(start: SIMD3<Double> = SIMD3(0, 0, 4), end: SIMD3<Double> = SIMD3(0, 0, 56),
                translationWobble: SIMD2<Double> = SIMD2(0.8, 0.3),
                rotationWobbleDegrees: SIMD3<Double> = SIMD3(4, 2, 1.5),
                wobbleCycles: Double = 1.5, seed: UInt64 = 1) {
        self.start = start
        self.end = end
        self.translationWobble = translationWobble
        self.rotationWobbleDegrees = rotationWobbleDegrees
        self.wobbleCycles = wobbleCycles
        self.seed = seed
    }

    /// A trajectory without wobble (the probe translates straight, axis-aligned).
    public static func straight(from start: SIMD3<Double>, to end: SIMD3<Double>) -> SweepTrajectory {
        SweepTrajectory(start: start, end: end, translationWobble: .zero, rotationWobbleDegrees: .zero, seed: 0)
    }

    /// `ProbeToReference` at sweep fraction `s` (0 = first frame, 1 = last).
    public func probeToReference(at s: Double) -> Transform3D {
        var rng = SplitMix64(seed: seed, 0x7A11)
        // Five wobble channels, each: slow sinusoid + a faster one at a third of its amplitude.
        var w = [Double](repeating: 0, count: 5)
        for c in 0..<5 {
            let p1 = rng.uniform(0...(2 * Double.pi)), p2 = rng.uniform(0...(2 * Double.pi))
            let f2 = rng.uniform(2.5...4.0)
            w[c] = (sin(2 * Double.pi * wobbleCycles * s + p1) + sin(2 * Double.pi * wobbleCycles * f2 * s + p2) / 3) * 0.75
        }
        let position = start + s * (end - start)
            + SIMD3(translationWobble.x * w[0], translationWobble.y * w[1], 0)
        let r = rotationWobbleDegrees * (Double.pi / 180)
        let rotation = Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: r.z * w[4])
            * Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: r.y * w[3])
            * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: r.x * w[2])
        return Transform3D.translation(position) * rotation
    }
}
