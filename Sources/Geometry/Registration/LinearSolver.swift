/// Dense linear least squares for the small systems calibration needs (a few unknowns, many rows).
public enum LinearSolver {
    /// Solves the square system `a x = b` by Gaussian elimination with partial pivoting;
    /// `nil` when `a` is (numerically) singular.
    public static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var rhs = b
        let scale = a.flatMap { $0 }.map(abs).max() ?? 0
        guard scale > 0 else { return nil }
        for col in 0..<n {
            var pivot = col
            for r in (col + 1)..<max(n, col + 1) where abs(m[r][col]) > abs(m[pivot][col]) { pivot = r }
            if abs(m[pivot][col]) < 1e-13 * scale { return nil }
            if pivot != col { m.swapAt(pivot, col); rhs.swapAt(pivot, col) }
            for r in (col + 1)..<max(n, col + 1) {
                let f = m[r][col] / m[col][col]
                if f == 0 { continue }
                for k in col..<n { m[r][k] -= f * m[col][k] }
                rhs[r] -= f * rhs[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = rhs[i]
            for k in (i + 1)..<max(n, i + 1) { s -= m[i][k] * x[k] }
            x[i] = s / m[i][i]
        }
        return x
    }

    /// Least-squares solution of the over-determined `rows` (each `(coefficients, rhs)`) through
    /// the normal equations; `nil` when the columns are linearly dependent.
    public static func leastSquares(unknowns n: Int, rows: [(a: [Double], b: Double)]) -> [Double]? {
        var ata = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        var atb = [Double](repeating: 0, count: n)
        for row in rows {
            for i in 0..<n where row.a[i] != 0 {
                atb[i] += row.a[i] * row.b
                for j in 0..<n { ata[i][j] += row.a[i] * row.a[j] }
            }
        }
        return solve(ata, atb)
    }
}
