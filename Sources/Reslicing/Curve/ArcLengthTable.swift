import Geometry
/// Arc length along a `CurveSpline`, and the inverse: the spline parameter at a given length.
///
/// Each segment is cut into `pieces` equal parameter intervals whose lengths come from 5-point
/// Gauss-Legendre quadrature (exact for the polynomial speed of a straight curve, ~1e-12
/// relative elsewhere); a length inside a piece is found by safeguarded Newton iteration on the
/// same quadrature, to 1e-12 mm.
public struct ArcLengthTable: Sendable {
    /// The curve.
    public let spline: CurveSpline
    /// Pieces per segment.
    public let pieces: Int
    /// Cumulative length at the start of every piece, plus the total at the end.
    private let cumulative: [Double]

    /// Gauss-Legendre 5-point nodes on [0, 1] and weights.
    private static let nodes: [Double] = [0.04691007703066800, 0.2307653449471585, 0.5, 0.7692346550528415, 0.9530899229693320]
    private static let weights: [Double] = [0.1184634425280945, 0.2393143352496832, 0.2844444444444444, 0.2393143352496832, 0.1184634425280945]

    public init(spline: CurveSpline, pieces: Int = 32) {
        self.spline = spline
        self.pieces = pieces
        var c: [Double] = [0]
        c.reserveCapacity(spline.segmentCount * pieces + 1)
        var total = 0.0
        for s in 0..<spline.segmentCount {
            for p in 0..<pieces {
                let a = Double(p) / Double(pieces), b = Double(p + 1) / Double(pieces)
                total += Self.length(spline, segment: s, from: a, to: b)
                c.append(total)
            }
        }
        cumulative = c
    }

    /// The curve's length in mm.
    public var totalLength: Double { cumulative.last ?? 0 }

    /// Length of segment `s` between parameters a and b.
    static func length(_ spline: CurveSpline, segment s: Int, from a: Double, to b: Double) -> Double {
        var sum = 0.0
        for q in 0..<5 { sum += weights[q] * spline.velocity(segment: s, u: a + (b - a) * nodes[q]).length }
        return sum * (b - a)
    }

    /// The (segment, parameter) at arc length `target` (clamped to the curve).
    public func parameter(atLength target: Double) -> (segment: Int, u: Double) {
        let t = min(max(target, 0), totalLength)
        // Last piece starting at or before t.
        var lo = 0, hi = cumulative.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulative[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        let segment = min(lo / pieces, spline.segmentCount - 1)
        let piece = lo - segment * pieces
        let a = Double(piece) / Double(pieces), b = Double(piece + 1) / Double(pieces)
        let remaining = t - cumulative[lo]
        let pieceLength = cumulative[lo + 1] - cumulative[lo]
        if remaining <= 0 || pieceLength <= 0 { return (segment, a) }
        if remaining >= pieceLength { return (segment, b) }
        // Safeguarded Newton on f(u) = length(a, u) - remaining, bracketed in [a, b].
        var low = a, high = b
        var u = a + (b - a) * remaining / pieceLength
        for _ in 0..<60 {
            let f = Self.length(spline, segment: segment, from: a, to: u) - remaining
            if abs(f) < 1e-13 { break }
            if f > 0 { high = u } else { low = u }
            let speed = spline.velocity(segment: segment, u: u).length
            var next = speed > 0 ? u - f / speed : .nan
            if !(next > low && next < high) { next = (low + high) / 2 }
            if abs(next - u) < 1e-16 { u = next; break }
            u = next
        }
        return (segment, u)
    }
}
