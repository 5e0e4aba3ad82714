import Geometry

/// Straight-line fitting in the image plane, shared by the water-tank line and fan-edge finders.
enum LineFit {
    /// Indices of `points` within `tolerance` of the line through `a` and `b`; nil when the two
    /// are closer than `minimumSeparation` (no direction).
    static func inliers(_ points: [SIMD2<Double>], through a: SIMD2<Double>, _ b: SIMD2<Double>,
                        tolerance: Double, minimumSeparation: Double) -> [Int]? {
        let d = b - a
        let length = (d * d).sum().squareRoot()
        guard length >= minimumSeparation else { return nil }
        let normal = SIMD2(-d.y, d.x) / length
        return points.indices.filter { abs(((points[$0] - a) * normal).sum()) <= tolerance }
    }

    /// Total least squares: the centroid and unit direction of the line closest to `points`.
    static func totalLeastSquares(_ points: [SIMD2<Double>]) -> (point: SIMD2<Double>, direction: SIMD2<Double>) {
        let mean = points.reduce(SIMD2<Double>.zero, +) / Double(max(points.count, 1))
        var sxx = 0.0, sxy = 0.0, syy = 0.0
        for p in points { let q = p - mean; sxx += q.x * q.x; sxy += q.x * q.y; syy += q.y * q.y }
        let e = SymmetricEigen([[sxx, sxy], [sxy, syy]])
        return (mean, SIMD2(e.vectors[0][0], e.vectors[0][1]))
    }
}
