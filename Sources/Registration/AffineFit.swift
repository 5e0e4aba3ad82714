import Geometry

/// Least-squares affine transform (12 parameters) mapping `source` points onto `target`, as ITK's
/// `LandmarkBasedTransformInitializer` computes it for `AffineTransform` (unit weights).
enum AffineFit {
    static func fit(source: [SIMD3<Double>], target: [SIMD3<Double>]) throws(RegistrationError) -> Transform3D {
        guard source.count == target.count else { throw .pointCountMismatch(fixed: source.count, moving: target.count) }
        guard source.count >= 4 else { throw .tooFewPoints(model: "affine", needed: 4, got: source.count) }
        // Centre the points so the normal equations are well conditioned, then move back.
        let n = Double(source.count)
        let cs = source.reduce(.zero, +) / n, ct = target.reduce(.zero, +) / n
        var covariance = [[Double]](repeating: [0, 0, 0], count: 3)
        for p in source { let d = p - cs; for i in 0..<3 { for j in 0..<3 { covariance[i][j] += d[i] * d[j] } } }
        let spread = SymmetricEigen(covariance).values
        guard spread[0] > 0, spread[2] > 1e-10 * spread[0] else {
            throw .degenerate(model: "affine", reason: "the fixed points are collinear or coplanar (an affine map needs 4 points not in one plane)")
        }
        var rows: [Double] = []
        for c in 0..<3 {
            let equations = zip(source, target).map { (s, t) in (a: [s.x - cs.x, s.y - cs.y, s.z - cs.z], b: t[c] - ct[c]) }
            guard let x = LinearSolver.leastSquares(unknowns: 3, rows: equations) else {
                throw .degenerate(model: "affine", reason: "the fixed points are collinear or coplanar (an affine map needs 4 points not in one plane)")
            }
            rows += x
        }
        let linear = Transform3D(linear: rows, translation: .zero)
        return Transform3D(linear: rows, translation: ct - linear.applyToVector(cs))
    }
}
