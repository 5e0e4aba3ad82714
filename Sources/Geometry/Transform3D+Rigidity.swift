extension Transform3D {
    /// Whether the matrix is a rotation plus translation: finite, last row 0 0 0 1, the 3x3
    /// part orthonormal within `tolerance` (largest error of RᵀR against the identity) with
    /// determinant +1 (no mirroring).
    public func isRigid(tolerance: Double) -> Bool {
        guard elements.allSatisfy(\.isFinite) else { return false }
        let m = self
        guard abs(m[3, 0]) < 1e-9, abs(m[3, 1]) < 1e-9, abs(m[3, 2]) < 1e-9, abs(m[3, 3] - 1) < 1e-9 else { return false }
        for i in 0..<3 {
            for j in 0..<3 {
                var dot = 0.0
                for k in 0..<3 { dot += m[k, i] * m[k, j] }
                if abs(dot - (i == j ? 1 : 0)) > tolerance { return false }
            }
        }
        return linearDeterminant > 0
    }

    /// The determinant of the 3x3 linear part (negative for a mirroring pose, 0 when singular).
    public var linearDeterminant: Double { Matrix3(linearPartOf: self).determinant }
}
