import Testing
@testable import Geometry

/// `Quaternion(rotationVector:)` and `rotationVector` against `Transform3D.rotation(axis:angle:)`
/// (Rodrigues' formula), and the QR least squares against an exactly solvable system.
@Suite struct RotationVectorTests {
    @Test(arguments: [1e-14, 1e-6, 0.3, 2.5, Double.pi - 1e-9])
    func rotationVectorRoundTrip(angle: Double) {
        let axis = SIMD3<Double>(1, -2, 3).normalized
        let q = Quaternion(rotationVector: axis * angle)
        // The matrix agrees with Rodrigues' formula to rounding.
        #expect(q.transform(translation: .zero).maxDifference(to: .rotation(axis: axis, angle: angle)) < 1e-14)
        // Back from the matrix (Shepperd), the same vector: angle in [0, pi].
        let back = Quaternion(rotationOf: q.transform(translation: .zero)).rotationVector
        #expect((back - axis * angle).length < 1e-9 * max(1, angle))
        #expect(Quaternion(x: 0, y: 0, z: 0, w: 1).rotationVector == .zero)
    }

    @Test func qrLeastSquaresFitsAPlaneExactly() throws {
        // z = 2x - 3y + 5 at 20 points: the residual is zero, so the fit is exact to rounding.
        var rows: [(a: [Double], b: Double)] = []
        for i in 0..<20 { let x = Double(i % 5), y = Double(i / 5) * 1.5; rows.append(([x, y, 1], 2 * x - 3 * y + 5)) }
        let solution = try #require(LinearSolver.leastSquares(unknowns: 3, rows: rows))
        #expect(abs(solution[0] - 2) < 1e-12 && abs(solution[1] + 3) < 1e-12 && abs(solution[2] - 5) < 1e-12)
        // Dependent columns, fewer rows than unknowns, ragged rows: nil, never a trap.
        #expect(LinearSolver.leastSquares(unknowns: 2, rows: rows.map { ([$0.a[0], 2 * $0.a[0]], $0.b) }) == nil)
        #expect(LinearSolver.leastSquares(unknowns: 3, rows: Array(rows.prefix(2))) == nil)
        #expect(LinearSolver.leastSquares(unknowns: 3, rows: [([1, 2], 1), ([1, 2, 3], 1), ([0, 1, 0], 1)]) == nil)
    }
}
