/// A pixel's position `p` (x, y, z, 0 in voxels) as the held-cell walkers (`linearDouble`,
/// `linearMeanHeld`) take it: `DoubleArithmetic.linearCell`'s floor and fractions, by bits.
///
/// PLUS's floor is `Int(c + 1.5 * 2^36) - 1.5 * 2^36`. For |c| < 2^35 the sum is in
/// [2^36, 2^37], where the last 16 bits are the fraction: cleared, they give the floor (plus
/// 1.5 * 2^36) as a double; shifted right 16 less `roundBitsBias`, as an integer. Beyond, the
/// shifted bits stay monotone in c (NaN and negative sums: 2^46 or more), so such coordinates
/// fail the walkers' grid tests as PLUS's floor does.
struct HeldCellPosition {
    /// The bits of p + 1.5 * 2^36 (the cell's corner: `sum &>> 16` less `roundBitsBias`).
    let sum: SIMD4<UInt64>
    /// p less its floor.
    let fraction: SIMD4<Double>
    /// The cell: the floor's bits with bit 0 set where the fraction is 0 (no far corner).
    let key: SIMD4<UInt64>

    @inline(__always)
    init(_ p: SIMD4<Double>) {
        let shift = SIMD4<Double>(repeating: PlusRounding.shift)
        sum = unsafeBitCast(p + shift, to: SIMD4<UInt64>.self)
        let floor = sum & SIMD4(repeating: ~0xFFFF)
        fraction = p - (unsafeBitCast(floor, to: SIMD4<Double>.self) - shift)
        key = floor | SIMD4<UInt64>.zero.replacing(with: 1, where: fraction .== 0)
    }

    /// The y and z weight products [fy fz, ry fz, fy rz, ry rz] (r = 1 - f), which times fx give
    /// the x + 1 corners' weights and times rx the x corners', as `fx * (fy * fz)` in
    /// `LinearSplat`.
    @inline(__always)
    var yzWeights: SIMD4<Double> {
        let r = 1 - fraction
        return SIMD4(fraction.y, r.y, fraction.y, r.y) * SIMD4(fraction.z, fraction.z, r.z, r.z)
    }
}
