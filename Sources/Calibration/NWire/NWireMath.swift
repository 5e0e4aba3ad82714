/// Small vector and least-squares helpers for the N-wire algorithms.
enum NWireMath {
    @inline(__always) static func dot(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { (a * b).sum() }
    @inline(__always) static func norm(_ a: SIMD3<Double>) -> Double { dot(a, a).squareRoot() }
    @inline(__always) static func norm(_ a: SIMD2<Double>) -> Double { (a * a).sum().squareRoot() }
    @inline(__always) static func cross(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x)
    }

    /// Distance from `p` to the infinite line through `a` and `b` (2-D).
    static func distanceToLine(_ p: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let d = b - a
        let l2 = (d * d).sum()
        if l2 == 0 { return norm(p - a) }
        let t = ((p - a) * d).sum() / l2
        return norm(p - (a + t * d))
    }

    /// Least-squares solution of `A x = b` (A row-major, `rows` x `cols`) by Householder QR;
    /// nil when A is rank deficient.
    static func leastSquares(_ a: [Double], rows m: Int, cols n: Int, _ b: [Double]) -> [Double]? {
        precondition(a.count == m * n && b.count == m && m >= n)
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
            if abs(diag) <= 1e-13 * scale { return nil }
            var s = y[k]
            for j in (k + 1)..<n { s -= r[k * n + j] * x[j] }
            x[k] = s / diag
        }
        return x
    }

    /// Eigen-decomposition of a symmetric 3x3 matrix (row-major) by Jacobi rotations:
    /// eigenvalues descending and the matching unit eigenvectors.
    static func symmetricEigen3(_ m: [Double]) -> (values: [Double], vectors: [SIMD3<Double>]) {
        var a = m
        var v: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]
        for _ in 0..<50 {
            var off = 0.0
            for i in 0..<3 { for j in 0..<3 where i != j { off += a[i * 3 + j] * a[i * 3 + j] } }
            if off < 1e-30 { break }
            for p in 0..<2 {
                for q in (p + 1)..<3 {
                    let apq = a[p * 3 + q]
                    if abs(apq) < 1e-300 { continue }
                    let theta = (a[q * 3 + q] - a[p * 3 + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<3 {
                        let akp = a[k * 3 + p], akq = a[k * 3 + q]
                        a[k * 3 + p] = c * akp - s * akq
                        a[k * 3 + q] = s * akp + c * akq
                    }
                    for k in 0..<3 {
                        let apk = a[p * 3 + k], aqk = a[q * 3 + k]
                        a[p * 3 + k] = c * apk - s * aqk
                        a[q * 3 + k] = s * apk + c * aqk
                    }
                    for k in 0..<3 {
                        let vkp = v[k * 3 + p], vkq = v[k * 3 + q]
                        v[k * 3 + p] = c * vkp - s * vkq
                        v[k * 3 + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        let order = [0, 1, 2].sorted { a[$0 * 4] > a[$1 * 4] }
        return (order.map { a[$0 * 4] }, order.map { SIMD3(v[$0], v[3 + $0], v[6 + $0]) })
    }

    /// The rotation matrix (row-major 3x3) of a rotation vector (axis * angle, radians).
    static func rotationMatrix(_ w: SIMD3<Double>) -> [Double] {
        let theta = norm(w)
        if theta < 1e-12 {
            return [1, -w.z, w.y, w.z, 1, -w.x, -w.y, w.x, 1]
        }
        let k = w / theta
        let c = cosine(theta), s = sine(theta), t = 1 - c
        return [t * k.x * k.x + c, t * k.x * k.y - s * k.z, t * k.x * k.z + s * k.y,
                t * k.x * k.y + s * k.z, t * k.y * k.y + c, t * k.y * k.z - s * k.x,
                t * k.x * k.z - s * k.y, t * k.y * k.z + s * k.x, t * k.z * k.z + c]
    }

    /// The rotation vector of a proper rotation matrix (row-major 3x3).
    static func rotationVector(_ r: [Double]) -> SIMD3<Double> {
        // Via the quaternion, stable near 0 and pi.
        let tr = r[0] + r[4] + r[8]
        var q: SIMD4<Double>  // (w, x, y, z)
        if tr > 0 {
            let s = (tr + 1).squareRoot() * 2
            q = SIMD4(0.25 * s, (r[7] - r[5]) / s, (r[2] - r[6]) / s, (r[3] - r[1]) / s)
        } else if r[0] > r[4] && r[0] > r[8] {
            let s = (1 + r[0] - r[4] - r[8]).squareRoot() * 2
            q = SIMD4((r[7] - r[5]) / s, 0.25 * s, (r[1] + r[3]) / s, (r[2] + r[6]) / s)
        } else if r[4] > r[8] {
            let s = (1 + r[4] - r[0] - r[8]).squareRoot() * 2
            q = SIMD4((r[2] - r[6]) / s, (r[1] + r[3]) / s, 0.25 * s, (r[5] + r[7]) / s)
        } else {
            let s = (1 + r[8] - r[0] - r[4]).squareRoot() * 2
            q = SIMD4((r[3] - r[1]) / s, (r[2] + r[6]) / s, (r[5] + r[7]) / s, 0.25 * s)
        }
        if q.x < 0 { q = -q }
        let v = SIMD3(q.y, q.z, q.w)
        let sinHalf = norm(v)
        if sinHalf < 1e-15 { return .zero }
        let angle = 2 * arcTangent(sinHalf, q.x)
        return v / sinHalf * angle
    }

    /// Mean and (population) standard deviation of the lowest `fraction` of `values`, as
    /// `igsioMath::ComputePercentile` reports PLUS's calibration errors.
    static func percentileStatistics(_ values: [Double], fraction: Double) -> (mean: Double, stdDev: Double, max: Double) {
        guard !values.isEmpty else { return (0, 0, 0) }
        let sorted = values.sorted()
        let count = max(1, Int((Double(sorted.count) * fraction).rounded()))
        let kept = sorted.prefix(count)
        let mean = kept.reduce(0, +) / Double(kept.count)
        let variance = kept.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(kept.count)
        return (mean, variance.squareRoot(), kept.last!)
    }
}
