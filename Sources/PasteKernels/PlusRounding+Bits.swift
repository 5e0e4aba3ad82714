extension PlusRounding {
    /// `round(x) + roundBitsBias` for |x| below 2^30, in one addition: `x + (1.5 * 2^36 + 0.5)`
    /// is `round`'s first sum, in [2^36, 2^37) for such x, where the unit in the last place is
    /// 2^-16 and the exponent bits are fixed; so the sum's bit pattern shifted right 16 is its
    /// floor, `round(x) + 1.5 * 2^36`, plus a constant (the exponent bits less the implicit
    /// 2^36). One addition and a shift.
    @inlinable @inline(__always)
    public static func roundBits(_ x: Double) -> Int {
        Int(truncatingIfNeeded: (x + (shift + 0.5)).bitPattern >> 16)
    }

    /// `roundBits(x) - round(x)`: the bit pattern of 1.5 * 2^36 (an integer in that binade)
    /// shifted right 16, which is 1.5 * 2^36 plus the same constant.
    @inlinable public static var roundBitsBias: Int { Int(truncatingIfNeeded: shift.bitPattern >> 16) }

    /// `round` for |x| below 2^30 without a branch or a checked conversion: `roundBits` less
    /// its bias.
    @inlinable @inline(__always)
    public static func roundNear(_ x: Double) -> Int { roundBits(x) &- roundBitsBias }
}
