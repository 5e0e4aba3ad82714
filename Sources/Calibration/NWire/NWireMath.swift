import Geometry

/// Small vector and least-squares helpers for the N-wire algorithms.
enum NWireMath {
    /// Distance from `p` to the infinite line through `a` and `b` (2-D).
    static func distanceToLine(_ p: SIMD2<Double>, _ a: SIMD2<Double>, _ b: SIMD2<Double>) -> Double {
        let d = b - a
        let l2 = (d * d).sum()
        if l2 == 0 { return (p - a).length }
        let t = ((p - a) * d).sum() / l2
        return (p - (a + t * d)).length
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
