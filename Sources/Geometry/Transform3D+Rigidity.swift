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
        let det = m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
            - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
            + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0])
        return det > 0
    }
}
