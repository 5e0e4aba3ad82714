/// Emulation of PLUS's 14-bit fixed-point number type (`fixed` in PLUS/IGSIO `fixed.h`), used by
/// its default FULL optimization. Values are plain `Int`s holding `value * 2^14`; every helper
/// reproduces the rounding of the C++ type so that Freehand pastes pixels into the same voxels.
enum FixedPoint {
    /// Fractional bits.
    static let bits = 14
    /// 1.0 in fixed point.
    static let one = 1 << 14
    /// 0.5 in fixed point.
    static let half = 1 << 13
    /// Fraction mask.
    static let fractionMask = (1 << 14) - 1

    /// `fixed(double)`: rounds to the nearest multiple of 2^-14, ties to even, by the same
    /// magic-number addition PLUS uses (2^38 * 1.5 moves the binary point to bit 14).
    ///
    /// PLUS's 32-bit type wraps beyond +-131072; larger finite values (frames far outside a fixed
    /// grid) are rounded the same way without wrapping, so they stay outside the volume.
    @inline(__always)
    static func fromDouble(_ x: Double) -> Int {
        if abs(x) < 131072 {
            let t = x + 412316860416.0
            return Int(Int32(truncatingIfNeeded: t.bitPattern))
        }
        let scaled = (x * 16384).rounded(.toNearestOrEven)
        return scaled.isFinite && abs(scaled) < 1e15 ? Int(scaled) : (scaled < 0 ? -1 << 50 : 1 << 50)
    }

    /// `fixed * fixed` (PLUS `fast_multiply`): rounded product.
    @inline(__always)
    static func multiply(_ a: Int, _ b: Int) -> Int {
        (a * b + half) >> bits
    }

    /// `igsioMath::Round(double(fixed))`: nearest integer, ties up.
    @inline(__always)
    static func round(_ a: Int) -> Int {
        (a + half) >> bits
    }

    /// `fixed / fixed` (PLUS `divide`): `from_float(double(x) / y)`, for quotients known to
    /// be within +-131072 (voxel values), without the range check of `fromDouble`.
    @inline(__always)
    static func divide(_ x: Int, _ y: Int) -> Int {
        let t = Double(x) / Double(y) + 412316860416.0
        return Int(Int32(truncatingIfNeeded: t.bitPattern))
    }

    /// Converts back to Double.
    @inline(__always)
    static func toDouble(_ a: Int) -> Double {
        Double(a) * (1.0 / 16384.0)
    }
}
