import Geometry

extension NWireCalibration {
    /// ImageToProbe from rotation vector, translation and the two pixel sizes (z axis scaled by their mean).
    static func transform(_ p: [Double]) -> Transform3D {
        let rotation = Quaternion(rotationVector: SIMD3(p[0], p[1], p[2])).transform(translation: SIMD3(p[3], p[4], p[5]))
        return rotation * .scaling(SIMD3(p[6], p[7], (p[6] + p[7]) / 2))
    }

    /// Parameters of the closest rotation-plus-scale transform to an affine ImageToProbe (the
    /// rotation of its polar decomposition); nil when it is singular or mirrored.
    static func parameters(_ m: Transform3D) -> [Double]? {
        guard let pose = try? PoseDecomposition(m), pose.handedness > 0 else { return nil }
        let w = pose.rotation.rotationVector, t = m.translation
        return [w.x, w.y, w.z, t.x, t.y, t.z, m.column(0).length, m.column(1).length]
    }

    /// Levenberg-Marquardt on the middle-wire 3-D residuals over rotation, translation and pixel sizes.
    func refine(_ seed: Transform3D, _ p: Prepared) -> Transform3D {
        let n = phantom.patterns.count
        var uv: [SIMD2<Double>] = [], targets: [SIMD3<Double>] = []
        for f in 0..<p.imagePoints.count {
            for k in 0..<n { uv.append(p.imagePoints[f][3 * k + 1]); targets.append(p.middleInProbe[f][k]) }
        }
        guard uv.count >= 4 else { return seed }
        func residuals(_ x: [Double]) -> [Double] {
            let m = Self.transform(x)
            var r: [Double] = []
            r.reserveCapacity(3 * uv.count)
            for (q, t) in zip(uv, targets) {
                let d = m.apply(SIMD3(q.x, q.y, 0)) - t
                r += [d.x, d.y, d.z]
            }
            return r
        }
        func cost(_ r: [Double]) -> Double { r.reduce(0) { $0 + $1 * $1 } }
        guard var x = Self.parameters(seed) else { return seed }
        var r = residuals(x)
        var c = cost(r)
        var lambda = 1e-3
        let steps = [1e-6, 1e-6, 1e-6, 1e-4, 1e-4, 1e-4, 1e-7, 1e-7]
        for _ in 0..<100 {
            // Central-difference Jacobian, m x 8.
            var jac = [[Double]](repeating: [], count: 8)
            for j in 0..<8 {
                var xp = x, xm = x
                xp[j] += steps[j]; xm[j] -= steps[j]
                let rp = residuals(xp), rm = residuals(xm)
                jac[j] = zip(rp, rm).map { ($0 - $1) / (2 * steps[j]) }
            }
            var jtj = [Double](repeating: 0, count: 64), jtr = [Double](repeating: 0, count: 8)
            for a in 0..<8 {
                for b in a..<8 {
                    var s = 0.0
                    for i in 0..<r.count { s += jac[a][i] * jac[b][i] }
                    jtj[a * 8 + b] = s; jtj[b * 8 + a] = s
                }
                var s = 0.0
                for i in 0..<r.count { s += jac[a][i] * r[i] }
                jtr[a] = s
            }
            var improved = false
            while lambda < 1e12 {
                var h = jtj
                for d in 0..<8 { h[d * 9] += lambda * max(jtj[d * 9], 1e-12) }
                guard let delta = LinearSolver.leastSquares(h, rows: 8, columns: 8, jtr.map { -$0 }) else { lambda *= 10; continue }
                let xn = zip(x, delta).map(+)
                let rn = residuals(xn)
                let cn = cost(rn)
                if cn < c {
                    let relative = (c - cn) / max(c, 1e-300)
                    x = xn; r = rn; c = cn
                    lambda = max(lambda / 10, 1e-12)
                    improved = relative > 1e-12
                    break
                }
                lambda *= 10
            }
            if !improved { break }
        }
        return Self.transform(x)
    }
}
