/// An affine pose split into translation, rotation and stretch: `M = T * R * (h S)`.
///
/// The 3x3 part `A` of `M` is factored by the polar decomposition `A = Q S`, with `Q`
/// orthogonal and `S` symmetric positive-definite (`S = sqrt(AᵀA)`: pixel spacing, anisotropic
/// scale and shear in the pose's own frame). When `det A < 0` the pose is mirrored; then
/// `Q = -R` with `R` a proper rotation, and `handedness` is -1 so that `A = R (-S)`.
///
/// `Q` is found by Higham's scaled Newton iteration `X ← (γX + X⁻ᵀ/γ)/2`, which converges
/// quadratically to the orthogonal polar factor; `S = QᵀA`, symmetrised.
public struct PoseDecomposition: Sendable, Hashable {
    /// Translation column of the pose (mm).
    public var translation: SIMD3<Double>
    /// The proper rotation `R`.
    public var rotation: Quaternion
    /// The symmetric positive-definite stretch `S`, row-major 3x3.
    public var stretch: [Double]
    /// +1 for a proper pose, -1 for a mirrored one (det < 0).
    public var handedness: Double

    /// Decomposes `pose`; throws when it has a non-finite element, is not affine or is singular.
    public init(_ pose: Transform3D) throws(PoseRejection) {
        guard pose.elements.allSatisfy(\.isFinite) else { throw .nonFinite }
        guard pose[3, 0] == 0, pose[3, 1] == 0, pose[3, 2] == 0, pose[3, 3] == 1 else { throw .notAffine }
        var a = Matrix3(linearPartOf: pose)
        let norm = a.norm
        let det = a.determinant
        guard norm > 0, abs(det) > 1e-12 * norm * norm * norm else { throw .singular }
        handedness = det < 0 ? -1 : 1
        if det < 0 { a = a.scaled(-1) }
        let q = Self.orthogonalFactor(a)
        let s = q.transposed * a
        let symmetric = (s + s.transposed).scaled(0.5)
        translation = pose.translation
        rotation = Quaternion(rotationOf: Transform3D(linear: q.elements, translation: .zero))
        stretch = symmetric.elements
    }

    /// The pose these parts describe.
    public var transform: Transform3D {
        let r = Matrix3(linearPartOf: rotation.transform(translation: .zero))
        let s = Matrix3(SIMD3(stretch[0], stretch[1], stretch[2]), SIMD3(stretch[3], stretch[4], stretch[5]),
                        SIMD3(stretch[6], stretch[7], stretch[8]))
        return Transform3D(linear: (r * s.scaled(handedness)).elements, translation: translation)
    }

    /// The orthogonal polar factor of `a` (det > 0, not singular): Higham's Newton iteration,
    /// with the Frobenius-norm scaling while far from convergence.
    static func orthogonalFactor(_ a: Matrix3) -> Matrix3 {
        var x = a
        for _ in 0..<60 {
            let inverseTransposed = x.inverse.transposed
            let change0 = (x - inverseTransposed).norm
            let gamma = change0 > 1e-2 ? (inverseTransposed.norm / x.norm).squareRoot() : 1
            let next = (x.scaled(gamma) + inverseTransposed.scaled(1 / gamma)).scaled(0.5)
            let change = (next - x).norm
            x = next
            if change <= 1e-15 * 3 { break }
        }
        return x
    }
}
