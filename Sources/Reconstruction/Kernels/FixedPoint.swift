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

/// PLUS's fast floor/round for doubles (`igsioMath::Floor/Round`), computed as IGSIO computes
/// them on 64-bit targets: `x + (1.5 * 2^36 + 2^-17)` (the tolerance is half a unit in the last
/// place of 1.5 * 2^36, so the constant rounds to 1.5 * 2^36) leaves `x` rounded to a multiple
/// of 2^-16, ties to even; truncating and subtracting 1.5 * 2^36 gives the floor. So values
/// within 2^-17 below an integer go up. One addition, one conversion, one subtraction: the
/// shortest dependency chain in the double-precision kernels' per-voxel arithmetic.
enum PlusRounding {
    static let tolerance = 7.62939453125e-06
    /// 1.5 * 2^36, IGSIO's `103079215104.0`.
    static let shift = 103079215104.0

    /// `igsioMath::Floor`.
    @inline(__always)
    static func floor(_ x: Double) -> Int {
        let y = x + shift
        // Far out (beyond any grid) and NaN: libm-exact floor of x + tolerance, pinned at +-2^52.
        guard y > -4.4e15 && y < 4.4e15 else { return floorInt(x + tolerance) }
        return Int(y) - 103_079_215_104
    }

    /// `igsioMath::Round`.
    @inline(__always)
    static func round(_ x: Double) -> Int {
        let y = x + (shift + 0.5)
        guard y > -4.4e15 && y < 4.4e15 else { return floorInt(x + 0.5 + tolerance) }
        return Int(y) - 103_079_215_104
    }

    /// `clampedInt(y.rounded(.down))`. On the default x86-64 target `rounded(.down)` is a call
    /// to libm's `floor`, the largest cost of the double-precision kernels; below 4.4e15 in
    /// magnitude (every voxel coordinate) truncation corrected for negative non-integers gives
    /// the same integer, so libm is left for the far-out (and NaN) cases.
    @inline(__always)
    static func floorInt(_ y: Double) -> Int {
        if y > -4.4e15 && y < 4.4e15 {
            let t = Int(y)
            return Double(t) > y ? t - 1 : t
        }
        return clampedInt(y.rounded(.down))
    }

    /// An integral double as Int, far-out-of-range values (and NaN) pinned to +-2^52.
    @inline(__always)
    static func clampedInt(_ y: Double) -> Int {
        y > -4.5e15 && y < 4.5e15 ? Int(y) : (y < 0 ? -(1 << 52) : 1 << 52)
    }

    /// `igsioMath::Ceil`.
    @inline(__always)
    static func ceil(_ x: Double) -> Int {
        -floor(-x - 1.0) - 1
    }
}
