#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sector (fan) a curvilinear or phased-array probe images, in pixel coordinates of an MF
/// frame: the apex (where the fan's side edges meet), the angles of its side edges and the radii
/// where the data starts (transducer face) and stops (imaging depth).
///
/// Angles are measured from the +y (depth) axis towards +x, so a symmetric fan is `-a...a`; this
/// matches PLUS's `FanAnglesDeg` with `FanOriginPixel`, `FanRadiusStartPixel`, `FanRadiusStopPixel`.
public struct FanGeometry: Sendable, Hashable, CustomStringConvertible {
    /// Apex pixel (x, y); y is usually above the first image row for curvilinear probes.
    public var apex: SIMD2<Double>
    /// Edge angles (degrees), `start < stop`.
    public var startAngleDegrees: Double
    public var stopAngleDegrees: Double
    /// Distance from the apex to the transducer face (pixels).
    public var radiusStart: Double
    /// Distance from the apex to the deepest data (pixels).
    public var radiusStop: Double

    public init(apex: SIMD2<Double>, startAngleDegrees: Double, stopAngleDegrees: Double, radiusStart: Double, radiusStop: Double) {
        self.apex = apex
        self.startAngleDegrees = startAngleDegrees
        self.stopAngleDegrees = stopAngleDegrees
        self.radiusStart = radiusStart
        self.radiusStop = radiusStop
    }

    /// Imaging depth in pixels (face to deepest data along a ray).
    public var depthPixels: Double { radiusStop - radiusStart }

    /// The centre of the transducer face on the fan's middle ray.
    public var faceCentre: SIMD2<Double> {
        let mid = (startAngleDegrees + stopAngleDegrees) / 2 * Double.pi / 180
        return apex + radiusStart * SIMD2(sin(mid), cos(mid))
    }

    /// Whether pixel (x, y) lies inside the fan (inclusive).
    public func contains(x: Double, y: Double) -> Bool {
        let d = SIMD2(x, y) - apex
        let r = (d * d).sum().squareRoot()
        guard r >= radiusStart, r <= radiusStop else { return false }
        let angle = atan2(d.x, d.y) * 180 / Double.pi
        return angle >= startAngleDegrees && angle <= stopAngleDegrees
    }

    public var description: String {
        "apex (\(formatted(apex.x)), \(formatted(apex.y))) px, angles \(formatted(startAngleDegrees))...\(formatted(stopAngleDegrees)) deg, radius \(formatted(radiusStart))...\(formatted(radiusStop)) px"
    }
}

/// Formats with up to 2 decimals, no trailing zeros.
func formatted(_ v: Double, decimals: Int = 2) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([Int32(decimals), v]) { vsnprintf(&buffer, buffer.count, "%.*f", $0) }
    var s = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    if s.contains(".") {
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
    }
    return s == "-0" ? "0" : s
}
