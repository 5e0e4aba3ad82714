/// A pose and the time it holds at.
public struct TimedPose: Sendable, Hashable {
    /// Seconds.
    public var time: Double
    /// The pose (affine: rotation, translation, and possibly scale or shear such as pixel spacing).
    public var matrix: Transform3D

    public init(time: Double, matrix: Transform3D) {
        self.time = time
        self.matrix = matrix
    }
}

/// Interpolation between two affine poses that keeps everything a pose carries.
///
/// Each pose is split by ``PoseDecomposition`` into translation, rotation and stretch (scale and
/// shear, e.g. an ImageToReference that includes anisotropic pixel spacing); the rotation is
/// interpolated by quaternion slerp, translation and stretch linearly, and the parts are
/// recomposed. For rigid poses this is PLUS's interpolation (translation linear, rotation slerp).
///
/// Two poses whose stretches differ by more than `stretchTolerance` (relative Frobenius norm,
/// `‖S₀ − S₁‖ / max(‖S₀‖, ‖S₁‖)`, default ``defaultStretchTolerance`` = 1 %) are refused: a
/// pixel spacing that changes between two samples is a configuration change, not motion, and
/// averaging it would place the image with a spacing neither sample has.
public enum PoseInterpolation {
    /// The default largest relative difference of the two stretches: 0.01 (1 %). Rigid poses
    /// sent as float32 differ by ~1e-7; a depth or zoom change differs by several percent.
    public static let defaultStretchTolerance = 0.01

    /// The pose at fraction `f` from `a` (f = 0, returned unchanged) to `b` (f = 1, unchanged).
    public static func interpolate(_ a: Transform3D, _ b: Transform3D, fraction f: Double,
                                   stretchTolerance: Double = defaultStretchTolerance) -> Result<Transform3D, PoseRejection> {
        guard f.isFinite else { return .failure(.invalidTimes) }
        let da: PoseDecomposition, db: PoseDecomposition
        do {
            da = try PoseDecomposition(a)
            db = try PoseDecomposition(b)
        } catch {
            return .failure(error)
        }
        guard da.handedness == db.handedness else { return .failure(.handednessMismatch) }
        let relative = stretchDifference(da.stretch, db.stretch)
        guard relative <= stretchTolerance else { return .failure(.stretchMismatch(relative: relative)) }
        if f == 0 { return .success(a) }
        if f == 1 { return .success(b) }
        var mid = da
        mid.rotation = Quaternion.slerp(da.rotation, db.rotation, f)
        mid.translation = da.translation + (db.translation - da.translation) * f
        mid.stretch = zip(da.stretch, db.stretch).map { $0 + ($1 - $0) * f }
        return .success(mid.transform)
    }

    /// The pose at time `t` between `a` and `b` (`a.time <= t <= b.time`, `a.time < b.time`).
    public static func interpolate(_ a: TimedPose, _ b: TimedPose, at t: Double,
                                   stretchTolerance: Double = defaultStretchTolerance) -> Result<Transform3D, PoseRejection> {
        guard a.time.isFinite, b.time.isFinite, t.isFinite, a.time < b.time, a.time <= t, t <= b.time else {
            return .failure(.invalidTimes)
        }
        return interpolate(a.matrix, b.matrix, fraction: (t - a.time) / (b.time - a.time), stretchTolerance: stretchTolerance)
    }

    /// `‖s0 − s1‖ / max(‖s0‖, ‖s1‖)` (Frobenius norms of row-major 3x3 matrices).
    static func stretchDifference(_ s0: [Double], _ s1: [Double]) -> Double {
        func norm(_ m: [Double]) -> Double { m.reduce(0) { $0 + $1 * $1 }.squareRoot() }
        let scale = max(norm(s0), norm(s1))
        return scale > 0 ? norm(zip(s0, s1).map { $0 - $1 }) / scale : 0
    }
}
