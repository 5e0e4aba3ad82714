import Geometry
import Imaging

/// The affine map from a frame's pixel indices (x, y) to fractional voxel indices of the output
/// grid, in both PLUS arithmetics: double precision and 14-bit fixed point.
///
/// voxel(x, y) = origin + x * xAxis + y * yAxis.
struct FrameMapping: Sendable {
    let origin: SIMD3<Double>
    let xAxis: SIMD3<Double>
    let yAxis: SIMD3<Double>
    /// Fixed-point versions (raw values, value * 2^14), rounded as PLUS's `fixed(double)`.
    let originFixed: SIMD3<Int>
    let xAxisFixed: SIMD3<Int>
    let yAxisFixed: SIMD3<Int>

    /// Pixel -> voxel index map for a frame whose pixels map to the reference frame by
    /// `imageToReference` (pixel units, as PLUS's unit-spacing frames), into `grid`.
    init(imageToReference m: Transform3D, grid: VolumeGeometry) {
        let o = grid.origin, s = grid.spacing
        func row(_ r: Int) -> (Double, Double, Double) {
            let sr = s[r], orr = o[r]
            return (m[r, 0] / sr, m[r, 1] / sr, (m[r, 3] - orr) / sr)
        }
        let r0 = row(0), r1 = row(1), r2 = row(2)
        xAxis = SIMD3(r0.0, r1.0, r2.0)
        yAxis = SIMD3(r0.1, r1.1, r2.1)
        origin = SIMD3(r0.2, r1.2, r2.2)
        originFixed = SIMD3(FixedPoint.fromDouble(origin.x), FixedPoint.fromDouble(origin.y), FixedPoint.fromDouble(origin.z))
        xAxisFixed = SIMD3(FixedPoint.fromDouble(xAxis.x), FixedPoint.fromDouble(xAxis.y), FixedPoint.fromDouble(xAxis.z))
        yAxisFixed = SIMD3(FixedPoint.fromDouble(yAxis.x), FixedPoint.fromDouble(yAxis.y), FixedPoint.fromDouble(yAxis.z))
    }

    /// Whether every coefficient is finite (a NaN or infinite transform cannot be pasted).
    var isFinite: Bool {
        for v in [origin, xAxis, yAxis] where !(v.x.isFinite && v.y.isFinite && v.z.isFinite) { return false }
        return true
    }

    /// Whether fixed point can represent every voxel coordinate of `grid` (PLUS's 32-bit
    /// fixed point holds up to 131071).
    static func fixedPointFits(_ grid: VolumeGeometry) -> Bool {
        grid.dimensions.x < 100_000 && grid.dimensions.y < 100_000 && grid.dimensions.z < 100_000
    }
}

/// Solving `lo <= p + t * d <= hi` for integer t.
enum IntegerInterval {
    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    @inline(__always)
    static func ceilDiv(_ a: Int, _ b: Int) -> Int {
        -floorDiv(-a, b)
    }

    /// Narrows `[t0, t1]` to the t with `lo <= p + t*d <= hi`.
    @inline(__always)
    static func clamp(_ t0: inout Int, _ t1: inout Int, p: Int, d: Int, lo: Int, hi: Int) {
        if d == 0 {
            if p < lo || p > hi { t0 = 1; t1 = 0 }
        } else if d > 0 {
            t0 = max(t0, ceilDiv(lo - p, d))
            t1 = min(t1, floorDiv(hi - p, d))
        } else {
            t0 = max(t0, ceilDiv(hi - p, d))
            t1 = min(t1, floorDiv(lo - p, d))
        }
    }
}
