/// Least-squares rigid or similarity registration of paired points (Horn's closed-form quaternion
/// method, J. Opt. Soc. Am. A 4(4), 1987): the rotation, translation and optionally one uniform
/// scale that map `source` points onto `target` points. The one implementation shared by the
/// phantom-landmark calibration step and `freehand register`.
///
/// The scale is Horn's symmetric one, `s = sqrt(sum |t_i - t̄|² / sum |s_i - s̄|²)` (section 2.C
/// of the paper), as ITK's `LandmarkBasedTransformInitializer` computes it for
/// `Similarity3DTransform`, so registering target onto source gives exactly the inverse scale.
/// (Umeyama's least-squares scale, `sum (t_i - t̄)·R(s_i - s̄) / sum |s_i - s̄|²`, differs from it
/// when the points are noisy.) The rotation does not depend on the scale in either case.
public struct RigidRegistration: Sendable {
    /// `sourceToTarget`: maps source coordinates into the target frame.
    public let transform: Transform3D
    /// The uniform scale (1 for a rigid registration).
    public let scale: Double
    /// The rotation (unit quaternion w, x, y, z, with w >= 0).
    public let quaternion: SIMD4<Double>
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
            case let .pointCountMismatch(s, t): return "landmark registration needs paired points: \(s) source points but \(t) target points"
            case let .tooFewPoints(n): return "landmark registration needs at least 3 non-collinear point pairs, got \(n)"
            case .degenerate: return "landmark registration failed: the points are collinear or coincident"
            }
        }
    }

    /// Registers `source` onto `target` (same count, at least 3 non-collinear pairs); with
    /// `scaling`, also finds one uniform scale (a similarity transform).
    public init(source: [SIMD3<Double>], target: [SIMD3<Double>], scaling: Bool = false) throws(Failure) {
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
        let q = eigen.vectors[0][0] < 0 ? eigen.vectors[0].map { -$0 } : eigen.vectors[0]
        let (w, x, y, z) = (q[0], q[1], q[2], q[3])
        quaternion = SIMD4(w, x, y, z)
        var k = 1.0
        if scaling {
            let spreadSource = source.reduce(0.0) { $0 + (($1 - cs) * ($1 - cs)).sum() }
            let spreadTarget = target.reduce(0.0) { $0 + (($1 - ct) * ($1 - ct)).sum() }
            k = (spreadTarget / spreadSource).squareRoot()
            guard k.isFinite, k > 0 else { throw .degenerate }
        }
        scale = k
        let r: [Double] = [
            w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z,
        ].map { $0 * k }
        let rotation = Transform3D(linear: r, translation: .zero)
        let t = ct - rotation.applyToVector(cs)
        let result = Transform3D(linear: r, translation: t)
        transform = result
        residuals = zip(source, target).map { let d = result.apply($0) - $1; return (d * d).sum().squareRoot() }
        meanError = residuals.reduce(0, +) / n
        rmsError = (residuals.reduce(0) { $0 + $1 * $1 } / n).squareRoot()
    }
}
