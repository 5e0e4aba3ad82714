#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry

/// Stylus (pivot) calibration: finds the tip of a tracked tool pivoted about a fixed point.
///
/// Each pose `MarkerToReference = [R_i | t_i]` keeps the tip fixed, so
/// `R_i * tip_Marker + t_i = pivot_Reference`, i.e. `[R_i | -I] [tip; pivot] = -t_i`. The
/// stacked system is solved by least squares; poses whose residual exceeds the mean by more
/// than three standard deviations are dropped and the fit repeated until none is dropped
/// (as PLUS's `vtkPlusPivotCalibrationAlgo` does).
public struct PivotCalibration: Sendable {
    /// Settings with PLUS-like defaults.
    public struct Settings: Sendable, Hashable {
        /// Outlier threshold in standard deviations of the pose residuals.
        public var outlierSigma: Double = 3
        /// Maximum outlier-rejection rounds.
        public var maximumIterations: Int = 10
        /// Minimum angle spread of the stylus shaft (degrees) for a trustworthy tip.
        public var minimumRotationSpreadDegrees: Double = 15
        public init() {}
    }

    /// The result of a pivot calibration.
    public struct Result: Sendable {
        /// Tip position in the marker frame (mm).
        public var tipInMarker: SIMD3<Double>
        /// Pivot point in the reference frame (mm).
        public var pivotInReference: SIMD3<Double>
        /// `StylusTipToStylus` as PLUS builds it: translation = tip, z axis along the tip offset.
        public var tipToMarker: Transform3D
        /// Mean distance between the pivot and the tip seen from each inlier pose (mm) — PLUS's `Error`.
        public var meanError: Double
        /// Largest angle between stylus shaft directions of any two inlier poses (degrees).
        public var rotationSpreadDegrees: Double
        /// Indices of the poses rejected as outliers.
        public var outlierIndices: [Int]
        /// Poses used.
        public var poseCount: Int
    }

    /// Why the calibration failed.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case tooFewPoses(Int)
        case degenerate
        public var description: String {
            switch self {
            case let .tooFewPoses(n): return "pivot calibration needs at least 3 stylus poses, got \(n); pivot the stylus about its tip while recording"
            case .degenerate: return "pivot calibration is degenerate: the stylus poses do not rotate enough about the tip to determine it"
            }
        }
    }

    public var settings: Settings
    /// The `MarkerToReference` poses collected so far.
    public private(set) var poses: [Transform3D] = []

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// Adds one `MarkerToReference` (e.g. `StylusToReference`) pose.
    public mutating func insert(_ markerToReference: Transform3D) { poses.append(markerToReference) }

    /// Removes all poses.
    public mutating func reset() { poses.removeAll() }

    /// Largest angle (degrees) between the rotations' images of `axis` over the poses collected,
    /// a cheap progress indicator while collecting (for the shaft, pass the tip direction).
    public func rotationSpread(axis: SIMD3<Double> = SIMD3(0, 0, 1), indices: [Int]? = nil) -> Double {
        let chosen = indices ?? Array(poses.indices)
        // Subsample to keep the pairwise search cheap on long recordings.
        let step = max(1, chosen.count / 300)
        let dirs = stride(from: 0, to: chosen.count, by: step).map { poses[chosen[$0]].applyToVector(axis).normalized }
        var best = 0.0
        for i in dirs.indices { for j in (i + 1)..<max(dirs.count, i + 1) { best = max(best, angleDegrees(dirs[i], dirs[j])) } }
        return best
    }

    /// Largest rotation angle (degrees) between any two poses collected (independent of the
    /// stylus axis), for progress displays while collecting.
    public var rotationAngleSpread: Double {
        let step = max(1, poses.count / 200)
        let sampled = stride(from: 0, to: poses.count, by: step).map { poses[$0] }
        var best = 0.0
        for i in sampled.indices {
            for j in (i + 1)..<max(sampled.count, i + 1) {
                var trace = 0.0
                for r in 0..<3 { for c in 0..<3 { trace += sampled[i][r, c] * sampled[j][r, c] } }
                best = max(best, acos(min(1, max(-1, (trace - 1) / 2))) * 180 / Double.pi)
            }
        }
        return best
    }

    /// Solves for the tip with iterative 3-sigma outlier rejection.
    public func calibrate() throws(Failure) -> Result {
        guard poses.count >= 3 else { throw .tooFewPoses(poses.count) }
        var inliers = Array(poses.indices)
        var solution: [Double] = []
        for _ in 0..<max(1, settings.maximumIterations) {
            var rows: [(a: [Double], b: Double)] = []
            rows.reserveCapacity(inliers.count * 3)
            for i in inliers {
                let m = poses[i]
                for r in 0..<3 {
                    rows.append(([m[r, 0], m[r, 1], m[r, 2], r == 0 ? -1 : 0, r == 1 ? -1 : 0, r == 2 ? -1 : 0], -m[r, 3]))
                }
            }
            guard let x = LinearSolver.leastSquares(unknowns: 6, rows: rows) else { throw .degenerate }
            solution = x
            let tip = SIMD3(x[0], x[1], x[2]), pivot = SIMD3(x[3], x[4], x[5])
            let residuals = inliers.map { (poses[$0].apply(tip) - pivot).length }
            let stats = MeanAndDeviation(residuals)
            let limit = stats.mean + settings.outlierSigma * stats.standardDeviation
            let kept = zip(inliers, residuals).filter { $0.1 <= limit }.map(\.0)
            if kept.count == inliers.count || kept.count < 3 { break }
            inliers = kept
        }
        let tip = SIMD3(solution[0], solution[1], solution[2])
        let pivot = SIMD3(solution[3], solution[4], solution[5])
        let inlierSet = Set(inliers)
        let errors = inliers.map { (poses[$0].apply(tip) - pivot).length }
        let spread = tip.length > 0 ? rotationSpread(axis: tip.normalized, indices: inliers) : 0
        return Result(tipInMarker: tip, pivotInReference: pivot,
                      tipToMarker: Self.tipToMarkerTransform(tip: tip),
                      meanError: errors.reduce(0, +) / Double(max(errors.count, 1)),
                      rotationSpreadDegrees: spread,
                      outlierIndices: poses.indices.filter { !inlierSet.contains($0) },
                      poseCount: poses.count)
    }

    /// PLUS's orientation convention for the tip frame: z along the tip offset, y = z x unitX
    /// (or z x unitY when the offset is within 20 degrees of x), x = y x z.
    static func tipToMarkerTransform(tip: SIMD3<Double>) -> Transform3D {
        let z = tip.normalized
        var angle = angleDegrees(z, SIMD3(1, 0, 0))
        if angle > 90 { angle = 180 - angle }
        let y = (angle > 20 ? z.cross(SIMD3(1, 0, 0)) : z.cross(SIMD3(0, 1, 0))).normalized
        let x = y.cross(z).normalized
        return Transform3D(linear: [x.x, y.x, z.x, x.y, y.y, z.y, x.z, y.z, z.z], translation: tip)
    }
}
