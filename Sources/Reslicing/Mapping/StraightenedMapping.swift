import Geometry
import Imaging

/// The correspondence between a straightened volume and the original volume it was cut from.
///
/// Straightened coordinates (the straightened volume's physical mm) are (a, b, s): `a` and `b`
/// the offsets from the curve along the slice's x and y axes, `s` the arc length. Slice k
/// (s = k * step) maps exactly as it was sampled: original = centre_k + a * x_k + b * y_k.
/// Between slices the centre and axes are interpolated linearly, so the map is continuous and
/// exact at the slices; before the first slice and after the last it continues along the end
/// tangent. Original -> straightened inverts the same map (bisection on the slice index to
/// 1e-15), so a round trip returns the point to rounding error.
public struct StraightenedMapping: Sendable {
    /// The resampled curve with its frames.
    public let path: CurvePath
    /// The slices' size and spacing.
    public let slice: SliceGeometry

    public init(path: CurvePath, slice: SliceGeometry) {
        self.path = path
        self.slice = slice
    }

    /// The straightened volume's grid: slices stacked along z, x and y spacing from the slices,
    /// z spacing the step, origin placing the curve at a = b = 0 and the first slice at s = 0.
    public var straightenedGeometry: VolumeGeometry {
        let c = slice.centrePixel
        return VolumeGeometry(dimensions: SIMD3(slice.width, slice.height, path.frames.count),
                              spacing: SIMD3(slice.spacing.x, slice.spacing.y, path.step),
                              origin: SIMD3(-c.x * slice.spacing.x, -c.y * slice.spacing.y, 0))
    }

    /// Centre, x axis, y axis at continuous slice index `k` (0 ... count - 1).
    func frame(at k: Double) -> (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>) {
        let frames = path.frames
        if frames.count == 1 { return (frames[0].centre, frames[0].xAxis, frames[0].yAxis) }
        let k0 = min(max(Int(k.rounded(.down)), 0), frames.count - 2)
        let t = k - Double(k0)
        let f0 = frames[k0], f1 = frames[k0 + 1]
        if t == 0 { return (f0.centre, f0.xAxis, f0.yAxis) }
        return (f0.centre + t * (f1.centre - f0.centre), f0.xAxis + t * (f1.xAxis - f0.xAxis), f0.yAxis + t * (f1.yAxis - f0.yAxis))
    }

    /// Straightened (a, b, s) -> original physical position.
    public func toOriginal(_ q: SIMD3<Double>) -> SIMD3<Double> {
        let frames = path.frames
        let last = frames[frames.count - 1]
        if q.z < 0 {
            let f = frames[0]
            return f.centre + q.z * f.tangent + q.x * f.xAxis + q.y * f.yAxis
        }
        if q.z > last.arcLength {
            return last.centre + (q.z - last.arcLength) * last.tangent + q.x * last.xAxis + q.y * last.yAxis
        }
        let (c, x, y) = frame(at: q.z / path.step)
        return c + q.x * x + q.y * y
    }

    /// Original physical position -> straightened (a, b, s): among the slice positions whose
    /// plane passes through `p`, the one where `p` is closest to the curve; nil when no slice
    /// plane (or extension beyond the ends) passes through it within `maximumOffset` mm of the
    /// curve (default: the slice's half diagonal).
    public func toStraightened(_ p: SIMD3<Double>, maximumOffset: Double? = nil) -> SIMD3<Double>? {
        let frames = path.frames
        let halfWidth = Double(slice.width) * slice.spacing.x / 2, halfHeight = Double(slice.height) * slice.spacing.y / 2
        let limit = maximumOffset ?? (halfWidth * halfWidth + halfHeight * halfHeight).squareRoot()
        var best: SIMD3<Double>?
        var bestOffset = Double.infinity
        func consider(_ q: SIMD3<Double>) {
            let offset = (q.x * q.x + q.y * q.y).squareRoot()
            if offset <= limit && offset < bestOffset { best = q; bestOffset = offset }
        }
        // Beyond the ends, along the end tangents.
        let first = frames[0], last = frames[frames.count - 1]
        let before = (p - first.centre).dot(first.tangent)
        if before <= 0 { consider(SIMD3((p - first.centre).dot(first.xAxis), (p - first.centre).dot(first.yAxis), before)) }
        let after = (p - last.centre).dot(last.tangent)
        if after >= 0 {
            consider(SIMD3((p - last.centre).dot(last.xAxis), (p - last.centre).dot(last.yAxis), last.arcLength + after))
        }
        guard frames.count > 1 else { return best }
        func g(_ k: Double) -> Double {
            let (c, x, y) = frame(at: k)
            return (p - c).dot(x.cross(y))
        }
        // Only intervals with an end within reach of p can hold its plane within the limit.
        let reach = limit + 2 * path.step, reach2 = reach * reach
        func near(_ j: Int) -> Bool { let d = p - frames[j].centre; return d.dot(d) <= reach2 }
        var gPrevious: Double?
        for j in 0..<(frames.count - 1) {
            guard near(j) || near(j + 1) else { gPrevious = nil; continue }
            let g0 = gPrevious ?? g(Double(j))
            let gNext = g(Double(j + 1))
            gPrevious = gNext
            guard (g0 <= 0) != (gNext <= 0) || g0 == 0 else { continue }
            var lo = Double(j), hi = Double(j + 1), gLo = g0
            if g0 != 0 {
                for _ in 0..<64 {
                    let mid = (lo + hi) / 2
                    if mid <= lo || mid >= hi { break }
                    let gm = g(mid)
                    if (gm <= 0) == (gLo <= 0) { lo = mid; gLo = gm } else { hi = mid }
                }
            } else {
                hi = lo
            }
            let k = abs(gLo) <= abs(g(hi)) ? lo : hi
            let (c, x, y) = frame(at: k)
            // Least-squares a, b with p - c = a x + b y (x, y nearly orthonormal between slices).
            let d = p - c
            let xx = x.dot(x), xy = x.dot(y), yy = y.dot(y)
            let dx = d.dot(x), dy = d.dot(y)
            let det = xx * yy - xy * xy
            guard det > 0 else { continue }
            consider(SIMD3((dx * yy - dy * xy) / det, (dy * xx - dx * xy) / det, k * path.step))
        }
        return best
    }
}
