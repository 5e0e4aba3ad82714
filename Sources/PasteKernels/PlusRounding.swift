/// PLUS's fast floor/round for doubles (`igsioMath::Floor/Round`), computed as IGSIO computes
/// them on 64-bit targets: `x + (1.5 * 2^36 + 2^-17)` (the tolerance is half a unit in the last
/// place of 1.5 * 2^36, so the constant rounds to 1.5 * 2^36) leaves `x` rounded to a multiple
/// of 2^-16, ties to even; truncating and subtracting 1.5 * 2^36 gives the floor. So values
/// within 2^-17 below an integer go up. One addition, one conversion, one subtraction: the
/// shortest dependency chain in the double-precision kernels' per-voxel arithmetic.
public enum PlusRounding {
    /// 2^-17, IGSIO's floor tolerance.
    @inlinable public static var tolerance: Double { 7.62939453125e-06 }
    /// 1.5 * 2^36, IGSIO's `103079215104.0`.
    @inlinable public static var shift: Double { 103079215104.0 }

    /// `igsioMath::Floor`.
    @inlinable @inline(__always)
    public static func floor(_ x: Double) -> Int {
        let y = x + shift
        // Far out (beyond any grid) and NaN: libm-exact floor of x + tolerance, pinned at +-2^52.
        guard y > -4.4e15 && y < 4.4e15 else { return floorInt(x + tolerance) }
        return Int(y) - 103_079_215_104
    }

    /// `igsioMath::Round`.
    @inlinable @inline(__always)
    public static func round(_ x: Double) -> Int {
        let y = x + (shift + 0.5)
        guard y > -4.4e15 && y < 4.4e15 else { return floorInt(x + 0.5 + tolerance) }
        return Int(y) - 103_079_215_104
    }

    /// `clampedInt(y.rounded(.down))`. On the default x86-64 target `rounded(.down)` is a call
    /// to libm's `floor`, the largest cost of the double-precision kernels; below 4.4e15 in
    /// magnitude (every voxel coordinate) truncation corrected for negative non-integers gives
    /// the same integer, so libm is left for the far-out (and NaN) cases.
    @inlinable @inline(__always)
    public static func floorInt(_ y: Double) -> Int {
        if y > -4.4e15 && y < 4.4e15 {
            let t = Int(y)
            return Double(t) > y ? t - 1 : t
        }
        return clampedInt(y.rounded(.down))
    }

    /// An integral double as Int, far-out-of-range values (and NaN) pinned to +-2^52.
    @inlinable @inline(__always)
    public static func clampedInt(_ y: Double) -> Int {
        y > -4.5e15 && y < 4.5e15 ? Int(y) : (y < 0 ? -(1 << 52) : 1 << 52)
    }

    /// `igsioMath::Ceil`.
    @inlinable @inline(__always)
    public static func ceil(_ x: Double) -> Int {
        -floor(-x - 1.0) - 1
    }
}
