import Geometry
/// The interpolating curve through markup control points that 3D Slicer draws for a markups
/// curve of its default type ("spline": `vtkCardinalSpline` per coordinate inside a
/// `vtkParametricSpline` parameterised by point index, not by length): a C2 cubic spline with
/// one segment per pair of consecutive points, uniform knots, and the first derivative held at
/// zero at both ends (VTK's default end constraint 1 with value 0).
///
/// Each coordinate is a piecewise cubic in the segment parameter u in [0, 1]; the derivatives
/// at the points solve the usual tridiagonal system D[i-1] + 4 D[i] + D[i+1] = 3 (P[i+1] - P[i-1]).
/// Collinear control points give a curve on their line, so a straight curve is exactly straight.
public struct CurveSpline: Sendable {
    /// The control points (at least two, no two consecutive ones equal).
    public let points: [SIMD3<Double>]
    /// The first derivative (per unit segment parameter) at each control point.
    public let derivatives: [SIMD3<Double>]

    /// The spline through `points` (at least 2, checked by the caller).
    public init(points: [SIMD3<Double>]) {
        precondition(points.count >= 2, "a curve needs two points")
        self.points = points
        let n = points.count
        var d = [SIMD3<Double>](repeating: .zero, count: n)
        if n > 2 {
            // Thomas algorithm on rows 1 ... n-2 (D[0] = D[n-1] = 0).
            let m = n - 2
            var c = [Double](repeating: 0, count: m)
            var r = [SIMD3<Double>](repeating: .zero, count: m)
            for i in 0..<m {
                let rhs = 3 * (points[i + 2] - points[i])
                if i == 0 {
                    c[i] = 1 / 4
                    r[i] = rhs / 4
                } else {
                    let denominator = 4 - c[i - 1]
                    c[i] = 1 / denominator
                    r[i] = (rhs - r[i - 1]) / denominator
                }
            }
            d[m] = r[m - 1]
            if m >= 2 {
                for i in stride(from: m - 2, through: 0, by: -1) { d[i + 1] = r[i] - c[i] * d[i + 2] }
            }
        }
        derivatives = d
    }

    /// Number of segments (points - 1).
    public var segmentCount: Int { points.count - 1 }

    /// The position on segment `s` at parameter `u` in [0, 1].
    @inline(__always)
    public func position(segment s: Int, u: Double) -> SIMD3<Double> {
        let u2 = u * u, u3 = u2 * u
        let h00 = 2 * u3 - 3 * u2 + 1, h10 = u3 - 2 * u2 + u, h01 = -2 * u3 + 3 * u2, h11 = u3 - u2
        return h00 * points[s] + h10 * derivatives[s] + h01 * points[s + 1] + h11 * derivatives[s + 1]
    }

    /// The first derivative with respect to u.
    @inline(__always)
    public func velocity(segment s: Int, u: Double) -> SIMD3<Double> {
        let u2 = u * u
        let h00 = 6 * u2 - 6 * u, h10 = 3 * u2 - 4 * u + 1, h01 = -6 * u2 + 6 * u, h11 = 3 * u2 - 2 * u
        return h00 * points[s] + h10 * derivatives[s] + h01 * points[s + 1] + h11 * derivatives[s + 1]
    }

    /// The second derivative with respect to u.
    @inline(__always)
    public func acceleration(segment s: Int, u: Double) -> SIMD3<Double> {
        let h00 = 12 * u - 6, h10 = 6 * u - 4, h01 = -12 * u + 6, h11 = 6 * u - 2
        return h00 * points[s] + h10 * derivatives[s] + h01 * points[s + 1] + h11 * derivatives[s + 1]
    }

    /// The unit tangent at (s, u). Where the speed vanishes (the clamped ends) the tangent is
    /// the limit direction, given by the second derivative.
    public func tangent(segment s: Int, u: Double) -> SIMD3<Double> {
        let v = velocity(segment: s, u: u)
        let a = acceleration(segment: s, u: u)
        let scale = max((points[s + 1] - points[s]).length, 1e-300)
        if v.length > 1e-9 * scale { return v.normalized }
        // p(u) ~ p(u0) + a (u - u0)^2 / 2: the curve leaves the point along +a (moving forward
        // from the start) and arrives along -a (at the end).
        return (u < 0.5 ? a : -a).normalized
    }
}
