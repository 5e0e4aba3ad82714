import Geometry

/// One straight wire of a calibration phantom, in phantom coordinates (mm).
public struct PhantomWire: Sendable, Hashable {
    /// The wire's name in the phantom definition (e.g. `7:G1_g1`).
    public var name: String
    /// The end on the phantom's front face.
    public var front: SIMD3<Double>
    /// The end on the phantom's back face.
    public var back: SIMD3<Double>

    public init(name: String, front: SIMD3<Double>, back: SIMD3<Double>) {
        self.name = name
        self.front = front
        self.back = back
    }
}

/// An N-shaped group of three coplanar wires: two parallel side wires joined by a diagonal.
///
/// The image plane cuts the three wires in three collinear dots; where the middle dot lies between
/// the side dots tells where the image crosses the diagonal, which gives a 3-D point in the
/// phantom frame (Comeau et al., the "N-wire" principle, as PLUS's `PlusNWire`).
public struct NWirePattern: Sendable, Hashable {
    /// The wires in phantom-definition order: side, diagonal, side.
    public var wires: [PhantomWire]
    /// Where the diagonal meets the first side wire.
    public var intersection12: SIMD3<Double>
    /// Where the diagonal meets the third side wire.
    public var intersection32: SIMD3<Double>

    /// Builds a pattern, checking that the side wires are parallel and that the diagonal meets both.
    public init(wires: [PhantomWire]) throws(NWireError) {
        guard wires.count == 3 else {
            throw .invalidPhantom("an NWire pattern needs 3 wires, got \(wires.count)")
        }
        self.wires = wires
        let d1 = wires[0].back - wires[0].front
        let d3 = wires[2].back - wires[2].front
        if d1.cross(d3).length > 0.001 * max(d1.length * d3.length, 1) {
            throw .invalidPhantom("the first and third wires (\(wires[0].name), \(wires[2].name)) are not parallel")
        }
        guard let i12 = Self.intersection(wires[0], wires[1]) else {
            throw .invalidPhantom("wires \(wires[0].name) and \(wires[1].name) do not intersect")
        }
        guard let i32 = Self.intersection(wires[2], wires[1]) else {
            throw .invalidPhantom("wires \(wires[2].name) and \(wires[1].name) do not intersect")
        }
        intersection12 = i12
        intersection32 = i32
    }

    /// The point where the image plane crosses the diagonal, from the three dots of this pattern
    /// (side, middle, side in wire order): `alpha = |d2 - d1| / |d3 - d1|` along `intersection12 -> intersection32`.
    public func middlePoint(dots: [SIMD2<Double>]) -> SIMD3<Double> {
        let a = dots[1] - dots[0], b = dots[2] - dots[0]
        let alpha = (a * a).sum().squareRoot() / (b * b).sum().squareRoot()
        return intersection12 + alpha * (intersection32 - intersection12)
    }

    /// Closest approach of two infinite lines; nil when they are more than 1e-6 mm apart.
    static func intersection(_ a: PhantomWire, _ b: PhantomWire) -> SIMD3<Double>? {
        let u = a.back - a.front, v = b.back - b.front, w = a.front - b.front
        let aa = u.dot(u), bb = u.dot(v), cc = v.dot(v)
        let dd = u.dot(w), ee = v.dot(w)
        let den = aa * cc - bb * bb
        guard abs(den) > 1e-12 else { return nil }
        let s = (bb * ee - cc * dd) / den
        let t = (aa * ee - bb * dd) / den
        let p = a.front + s * u, q = b.front + t * v
        return (p - q).length <= 1e-6 ? p : nil
    }
}

/// The wire geometry of a multi-N-wire phantom (`<PhantomDefinition><Geometry><Pattern Type="NWire">`).
public struct NWirePhantom: Sendable, Hashable {
    /// The N-wire patterns in definition order; in the image they are expected top (near) to bottom.
    public var patterns: [NWirePattern]

    public init(patterns: [NWirePattern]) throws(NWireError) {
        guard !patterns.isEmpty else { throw .invalidPhantom("the phantom has no NWire pattern") }
        self.patterns = patterns
    }

    /// All wire names, pattern by pattern.
    public var wireNames: [String] { patterns.flatMap { $0.wires.map(\.name) } }
}

