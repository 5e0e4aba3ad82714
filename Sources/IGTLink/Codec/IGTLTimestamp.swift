#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The header's TIMESTAMP: a 64-bit fixed-point number, high 32 bits Unix seconds, low 32 bits
/// the fraction of a second times 2^32. Zero means "no timestamp".
public struct IGTLTimestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The raw 32.32 fixed-point value.
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// A timestamp of `secondsSince1970` (negative or non-finite values give zero).
    public init(secondsSince1970 t: Double) {
        guard t.isFinite, t > 0, t < 4_294_967_296 else { self.rawValue = 0; return }
        let whole = t.rounded(.down)
        let frac = min((t - whole) * 4_294_967_296, 4_294_967_295)
        self.rawValue = UInt64(whole) << 32 | UInt64(frac.rounded())
    }

    /// Whole seconds since 1970.
    public var seconds: UInt32 { UInt32(truncatingIfNeeded: rawValue >> 32) }
    /// Fraction of a second times 2^32.
    public var fraction: UInt32 { UInt32(truncatingIfNeeded: rawValue) }

    /// Seconds since 1970 as a Double.
    public var secondsSince1970: Double { Double(seconds) + Double(fraction) / 4_294_967_296 }

    /// The current wall-clock time.
    public static var now: IGTLTimestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return IGTLTimestamp(rawValue: UInt64(ts.tv_sec) << 32 | (UInt64(ts.tv_nsec) << 32) / 1_000_000_000)
    }

    /// No timestamp.
    public static let zero = IGTLTimestamp(rawValue: 0)

    public static func < (a: IGTLTimestamp, b: IGTLTimestamp) -> Bool { a.rawValue < b.rawValue }

    public var description: String { String(secondsSince1970) }
}
