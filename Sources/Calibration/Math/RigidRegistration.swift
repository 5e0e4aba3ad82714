import Geometry

/// Least-squares rigid registration of paired points (Horn's closed-form quaternion method):
/// the rotation and translation that map `source` points onto `target` points.
public struct RigidRegistration: Sendable {
    /// `sourceToTarget`: maps source coordinates into the target frame.
    public let transform: Transform3D
    /// Mean distance between mapped source points and their targets, mm (PLUS's registration error).
    public let meanError: Double
    /// Root-mean-square distance, mm.
    public let rmsError: Double
    /// Per-pair residual distances, mm.
    public let residuals: [Double]

    /// Why a registration could not be computed.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case pointCountMismatch(source: Int, target: Int)
        case tooFewPoints(Int)
        case degenerate
        public var description: String {
            switch self {
            case let .pointCountMismatch(s, t): return "rigid registration needs paired points: \(s) source points but \(t) target points"
            case let .tooFewPoints(n): return "rigid registration needs at least 3 non-collinear point pairs, got \(n)"
            case .degenerate: return "rigid registration failed: the points are collinear or coincident"
            }
        }
    }

    /// Registers `source` onto `target` (same count, at least 3 non-collinear pairs).
    public init(source: [SIMD3<Double>], target: [SIMD3<Double>]) throws(Failure) {
        guard source.count == target.count else { throw .pointCountMismatch(source: source.count, target: target.count) }
        guard source.count >= 3 else { throw .tooFewPoints(source.count) }
        let n = Double(source.count)
        let cs = source.reduce(SIMD3<Double>.zero, +) / n
        let ct = target.reduce(SIMD3<Double>.zero, +) / n
        // Cross-covariance S[i][j] = sum (s_i)(t_j) of the centred points.
        var s = [[Double]](repeating: [0, 0, 0], count: 3)
        for (p, q) in zip(source, target) {
            let a = p - cs, b = q - ct
            for i in 0..<3 { for j in 0..<3 { s[i][j] += a[i] * b[j] } }
        }
        let spread = s.flatMap { $0 }.map(abs).max() ?? 0
        guard spread > 1e-12 else { throw .degenerate }
        let (sxx, sxy, sxz) = (s[0][0], s[0][1], s[0][2])
        let (syx, syy, syz) = (s[1][0], s[1][1], s[1][2])
        let (szx, szy, szz) = (s[2][0], s[2][1], s[2][2])
        let nMatrix: [[Double]] = [
            [sxx + syy + szz, syz - szy, szx - sxz, sxy - syx],
            [syz - szy, sxx - syy - szz, sxy + syx, szx + sxz],
            [szx - sxz, sxy + syx, -sxx + syy - szz, syz + szy],
            [sxy - syx, szx + sxz, syz + szy, -sxx - syy + szz],
        ]
        let eigen = SymmetricEigen(nMatrix)
        // Collinear points leave the top two eigenvalues equal: the rotation about the line is free.
        if eigen.values[0] - eigen.values[1] < 1e-9 * max(abs(eigen.values[0]), 1) { throw .degenerate }
        let q = eigen.vectors[0]
        let (w, x, y, z) = (q[0], q[1], q[2], q[3])
        let r: [Double] = [
            w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z,
        ]
        let rotation = Transform3D(linear: r, translation: .zero)
        let t = ct - rotation.applyToVector(cs)
        let result = Transform3D(linear: r, translation: t)
        transform = result
        residuals = zip(source, target).map { (result.apply($0) - $1).length }
        meanError = residuals.reduce(0, +) / n
        rmsError = (residuals.reduce(0) { $0 + $1 * $1 } / n).squareRoot()
    }
}
