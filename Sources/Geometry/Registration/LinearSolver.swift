/// Dense linear solvers for the small systems calibration and registration need (a few
/// unknowns, many rows).
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

    /// Least-squares solution of the over-determined `rows` (each `(coefficients, rhs)`, `n`
    /// coefficients); `nil` when the columns are linearly dependent.
    public static func leastSquares(unknowns n: Int, rows: [(a: [Double], b: Double)]) -> [Double]? {
        var a: [Double] = []
        a.reserveCapacity(rows.count * n)
        for row in rows {
            guard row.a.count == n else { return nil }
            a += row.a
        }
        return leastSquares(a, rows: rows.count, columns: n, rows.map(\.b))
    }

    /// Least-squares solution of `a x = b` (`a` row-major, `m` x `n`) by Householder QR, which
    /// keeps the condition number of `a` (the normal equations square it); `nil` when `a` is
    /// rank deficient or has fewer rows than columns.
    public static func leastSquares(_ a: [Double], rows m: Int, columns n: Int, _ b: [Double]) -> [Double]? {
        guard n > 0, m >= n, a.count == m * n, b.count == m else { return nil }
        var r = a, y = b
        for k in 0..<n {
            var s = 0.0
            for i in k..<m { s += r[i * n + k] * r[i * n + k] }
            let alpha = s.squareRoot()
            if alpha == 0 { return nil }
            let sign: Double = r[k * n + k] >= 0 ? 1 : -1
            var v = [Double](repeating: 0, count: m)
            for i in k..<m { v[i] = r[i * n + k] }
            v[k] += sign * alpha
            var vv = 0.0
            for i in k..<m { vv += v[i] * v[i] }
            if vv == 0 { continue }
            for j in k..<n {
                var d = 0.0
                for i in k..<m { d += v[i] * r[i * n + j] }
                let f = 2 * d / vv
                for i in k..<m { r[i * n + j] -= f * v[i] }
            }
            var d = 0.0
            for i in k..<m { d += v[i] * y[i] }
            let f = 2 * d / vv
            for i in k..<m { y[i] -= f * v[i] }
        }
        var x = [Double](repeating: 0, count: n)
        let scale = (0..<n).map { abs(r[$0 * n + $0]) }.max() ?? 0
        for k in stride(from: n - 1, through: 0, by: -1) {
            let diag = r[k * n + k]
            if !(abs(diag) > 1e-13 * scale) { return nil }
            var s = y[k]
            for j in (k + 1)..<n { s -= r[k * n + j] * x[j] }
            x[k] = s / diag
        }
        return x
    }
}
