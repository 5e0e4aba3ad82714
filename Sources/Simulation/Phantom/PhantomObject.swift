/// One object of a digital phantom, with its geometry in phantom (Reference) millimetres and
/// the mean echogenicity (0...255) of its inside.
public enum PhantomObject: Sendable, Hashable {
    /// A solid ball.
    case sphere(center: SIMD3<Double>, radius: Double, intensity: Double)
    /// A thin cylinder of `radius` around the segment `start`...`end` (a nylon wire).
    case wire(start: SIMD3<Double>, end: SIMD3<Double>, radius: Double, intensity: Double)
    /// The points whose signed distance along the unit `normal` lies in `near...far`
    /// (an infinite slab, e.g. the tank's bright bottom).
    case slab(normal: SIMD3<Double>, near: Double, far: Double, intensity: Double)

    /// The mean intensity inside the object.
    public var intensity: Double {
        switch self {
        case let .sphere(_, _, i), let .wire(_, _, _, i), let .slab(_, _, _, i): return i
        }
    }

    /// Whether `p` lies inside (boundary included).
    public func contains(_ p: SIMD3<Double>) -> Bool {
        switch self {
        case let .sphere(c, r, _):
            let d = p - c
            return (d * d).sum() <= r * r
        case let .wire(a, b, r, _):
            let axis = b - a
            let length2 = (axis * axis).sum()
            let t = length2 > 0 ? ((p - a) * axis).sum() / length2 : 0
            guard t >= 0, t <= 1 else { return false }
            let d = p - (a + t * axis)
            return (d * d).sum() <= r * r
        case let .slab(n, near, far, _):
            let s = (p * n).sum()
            return s >= near && s <= far
        }
    }

    /// The parameter interval of `origin + t * step` that lies inside the object, or `nil`
    /// when the line misses it. This is what lets a frame be rendered row by row without a
    /// 3-D search per pixel.
    public func interval(origin o: SIMD3<Double>, step u: SIMD3<Double>) -> ClosedRange<Double>? {
        switch self {
        case let .sphere(c, r, _):
            // |o - c + t u|^2 <= r^2
            let d = o - c
            return Self.quadraticInterval(a: (u * u).sum(), b: 2 * (d * u).sum(), c: (d * d).sum() - r * r)
        case let .wire(a, b, r, _):
            let axis = b - a
            let length2 = (axis * axis).sum()
            guard length2 > 0 else {
                return PhantomObject.sphere(center: a, radius: r, intensity: 0).interval(origin: o, step: u)
            }
            let n = axis / length2.squareRoot()
            // Perpendicular parts of (o - a) and u with respect to the wire axis.
            let w = o - a
            let wp = w - (w * n).sum() * n
            let up = u - (u * n).sum() * n
            guard let radial = Self.quadraticInterval(a: (up * up).sum(), b: 2 * (wp * up).sum(), c: (wp * wp).sum() - r * r)
            else { return nil }
            // 0 <= (w + t u) . axis <= |axis|^2
            guard let along = Self.linearInterval(value: (w * axis).sum(), slope: (u * axis).sum(), low: 0, high: length2)
            else { return nil }
            return Self.intersect(radial, along)
        case let .slab(n, near, far, _):
            return Self.linearInterval(value: (o * n).sum(), slope: (u * n).sum(), low: near, high: far)
        }
    }

    /// `{ t : a t^2 + b t + c <= 0 }` for `a >= 0`.
    static func quadraticInterval(a: Double, b: Double, c: Double) -> ClosedRange<Double>? {
        if a <= 1e-300 {
            if abs(b) <= 1e-300 { return c <= 0 ? -Double.infinity...Double.infinity : nil }
            let t = -c / b
            return b > 0 ? -Double.infinity...t : t...Double.infinity
        }
        let disc = b * b - 4 * a * c
        guard disc >= 0 else { return nil }
        let s = disc.squareRoot()
        // Numerically stable roots.
        let q = -0.5 * (b + (b >= 0 ? s : -s))
        var t0 = q / a
        var t1 = q != 0 ? c / q : t0
        if t0 > t1 { swap(&t0, &t1) }
        return t0...t1
    }

    /// `{ t : low <= value + slope t <= high }`.
    static func linearInterval(value: Double, slope: Double, low: Double, high: Double) -> ClosedRange<Double>? {
        if abs(slope) <= 1e-300 {
            return value >= low && value <= high ? -Double.infinity...Double.infinity : nil
        }
        var t0 = (low - value) / slope
        var t1 = (high - value) / slope
        if t0 > t1 { swap(&t0, &t1) }
        return t0...t1
    }

    static func intersect(_ a: ClosedRange<Double>, _ b: ClosedRange<Double>) -> ClosedRange<Double>? {
        let lo = max(a.lowerBound, b.lowerBound), hi = min(a.upperBound, b.upperBound)
        return lo <= hi ? lo...hi : nil
    }
}
