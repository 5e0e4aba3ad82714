#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry

/// Mean and sample standard deviation (n - 1 in the denominator, as PLUS computes them).
public struct MeanAndDeviation: Sendable, Hashable {
    public var mean: Double
    public var standardDeviation: Double

    public init<C: Collection>(_ values: C) where C.Element == Double {
        let n = Double(values.count)
        guard n > 0 else { mean = 0; standardDeviation = 0; return }
        let m = values.reduce(0, +) / n
        mean = m
        standardDeviation = n > 1 ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1)).squareRoot() : 0
    }
}

/// Angle in degrees between two unit or non-unit vectors.
func angleDegrees(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double {
    let c = a.dot(b) / max(a.length * b.length, 1e-300)
    return acos(min(1, max(-1, c))) * 180 / Double.pi
}
