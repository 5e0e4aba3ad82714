import Geometry
import Testing
@testable import Calibration

@Suite struct MathTests {
    @Test func symmetricEigenRecoversDiagonalisation() {
        let m: [[Double]] = [[4, 1, 2], [1, 3, 0.5], [2, 0.5, 5]]
        let e = SymmetricEigen(m)
        #expect(e.values[0] >= e.values[1] && e.values[1] >= e.values[2])
        for k in 0..<3 {
            for i in 0..<3 {
                let mv = (0..<3).reduce(0.0) { $0 + m[i][$1] * e.vectors[k][$1] }
                #expect(abs(mv - e.values[k] * e.vectors[k][i]) < 1e-10)
            }
        }
        #expect(abs(e.values.reduce(0, +) - 12) < 1e-10)
    }

    @Test func leastSquaresSolvesOverdeterminedLine() throws {
        // y = 2x + 1 sampled exactly.
        let rows = (0..<10).map { i in (a: [Double(i), 1.0], b: 2 * Double(i) + 1) }
        let x = try #require(LinearSolver.leastSquares(unknowns: 2, rows: rows))
        #expect(abs(x[0] - 2) < 1e-12 && abs(x[1] - 1) < 1e-12)
        #expect(LinearSolver.solve([[1, 2], [2, 4]], [1, 2]) == nil)
    }

    @Test func rigidRegistrationRecoversKnownTransform() throws {
        let truth = Transform3D.translation(SIMD3(20, -5, 7)) * Transform3D.rotation(axis: SIMD3(0.3, -1, 0.4), angle: 2.1)
        let source: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(100, 0, 0), SIMD3(0, 50, 0), SIMD3(0, 0, 30), SIMD3(40, 40, 10)]
        let target = source.map { truth.apply($0) }
        let r = try RigidRegistration(source: source, target: target)
        #expect(r.transform.maxDifference(to: truth) < 1e-9)
        #expect(r.meanError < 1e-9)
        #expect(throws: RigidRegistration.Failure.self) {
            try RigidRegistration(source: [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(2, 0, 0)], target: [SIMD3(0, 0, 0), SIMD3(1, 0, 0), SIMD3(2, 0, 0)])
        }
    }
}
