/// The grid cell a FULL (fixed-point) trilinear MEAN row is in, its eight voxels held in
/// registers as doubles (all integers, exact): values `farOut`/`nearOut` and accumulations
/// times 64 (`farR`/`nearR`, PLUS's `fixed(acc / 256)`), `far` the x + 1 corners, `near` the x
/// corners, lanes [z + 1 and y + 1, z + 1, y + 1, the cell's own x, y, z layer and row].
struct HeldFixedMeanCell {
    let grid: CellGrid
    var farOut = SIMD4<Double>.zero, nearOut = SIMD4<Double>.zero
    var farR = SIMD4<Double>.zero, nearR = SIMD4<Double>.zero
    /// Pixels still to come in the cell that cannot take an accumulation past the overflow
    /// threshold: the held path serves a pixel only while positive.
    var quiet = 0
    /// The held cell's corner (x0, y0, z0); x0 is `Int.min` when none is held (no pixel's
    /// corner, which is a position shifted right 14, has that value).
    private var x0 = Int.min, y0 = 0, z0 = 0
    private var base = 0

    init(grid: CellGrid) {
        self.grid = grid
    }

    /// Whether the cell of corner (x, y, z) is held.
    @inline(__always)
    func holds(_ x: Int, _ y: Int, _ z: Int) -> Bool {
        (x ^ x0) | (y ^ y0) | (z ^ z0) == 0
    }

    /// Writes back the held cell, then holds the cell of corner (x, y, z) when it is wholly in
    /// the grid, both its layers are in the slab and at least one more pixel can be added to
    /// it without an accumulation passing `VoxelAccumulation.threshold - multiplier` (PLUS's
    /// mean with overflow bookkeeping is left to the caller). False, holding none, otherwise.
    @inline(__always)
    mutating func move(_ x: Int, _ y: Int, _ z: Int) -> Bool {
        flush()
        guard UInt(bitPattern: x) < UInt(bitPattern: grid.dimensions.x &- 1), UInt(bitPattern: y) < UInt(bitPattern: grid.dimensions.y &- 1),
              UInt(bitPattern: z) < UInt(bitPattern: grid.dimensions.z &- 1), z >= grid.slab.lowerBound, z < grid.slab.upperBound else { return false }
        let b = x &+ y &* grid.strideY &+ z &* grid.strideZ
        let (far, near) = grid.corners(b)
        var top = 0
        for lane in 0..<4 {
            let af = Int(grid.acc[far[lane]]), an = Int(grid.acc[near[lane]])
            farOut[lane] = Double(grid.out[far[lane]])
            farR[lane] = Double(af &* 64)
            nearOut[lane] = Double(grid.out[near[lane]])
            nearR[lane] = Double(an &* 64)
            top = max(top, af, an)
        }
        // A pixel adds at most (2^14 + 32) >> 6 = 256 to an accumulation: pixel k (from 0) of
        // the cell finds at most top + 256 k, within the limit for k <= (limit - top) / 256.
        let limit = VoxelAccumulation.threshold &- VoxelAccumulation.multiplier
        guard top <= limit else { return false }
        quiet = (limit &- top) / 256 &+ 1
        x0 = x; y0 = y; z0 = z
        base = b
        return true
    }

    /// Writes the held cell back (integers below 2^22: the low bits of x + 2^52).
    @inline(__always)
    mutating func flush() {
        guard x0 != .min else { return }
        let (far, near) = grid.corners(base)
        let fo = unsafeBitCast(farOut + 0x1p52, to: SIMD4<UInt64>.self)
        let fa = unsafeBitCast(farR * 0x1p-6 + 0x1p52, to: SIMD4<UInt64>.self)
        let no = unsafeBitCast(nearOut + 0x1p52, to: SIMD4<UInt64>.self)
        let na = unsafeBitCast(nearR * 0x1p-6 + 0x1p52, to: SIMD4<UInt64>.self)
        for lane in 0..<4 {
            grid.out[far[lane]] = UInt8(truncatingIfNeeded: fo[lane])
            grid.acc[far[lane]] = UInt16(truncatingIfNeeded: fa[lane])
            grid.out[near[lane]] = UInt8(truncatingIfNeeded: no[lane])
            grid.acc[near[lane]] = UInt16(truncatingIfNeeded: na[lane])
        }
        x0 = .min
    }

    /// PLUS's fixed-point MEAN of a pixel of value `value` on four corners of weights `w`
    /// (integers in [0, 2^14]); lanes of weight 0 keep their value and accumulation. Counts
    /// those lanes into `zeros`.
    ///
    /// Per lane PLUS computes r = acc * 64, sum = w + r, q = fixed(double(w in + r out) / sum)
    /// (`x + 1.5 * 2^38`, the low 32 bits), out = (q + 2^13) >> 14, acc += (w + 32) >> 6. Here
    /// w in + r out and sum are exact (below 2^31); the quotient is a weighted mean of 8-bit
    /// values, so `x + (1.5 * 2^38 + 0.5)` rounds it to a multiple of 2^-14 as PLUS's sum does
    /// (0.5 is a multiple of that unit, an even one) and its bits 14 to 21 are (q + 2^13) >> 14:
    /// kept with the exponent bits, they are 2^38 plus the new value. The accumulation's step
    /// times 64, ((w + 32) >> 6) << 6, is w + 0.5 rounded to a multiple of 64 (no ties), by
    /// adding 1.5 * 2^58.
    @inline(__always)
    static func mean(_ out: inout SIMD4<Double>, _ r: inout SIMD4<Double>, _ w: SIMD4<Double>, _ value: Double,
                     _ zeros: inout SIMD4<Double>) {
        let s = w + r
        let n = w * value + r * out
        let t = unsafeBitCast(n / s + (412316860416.0 + 0.5), to: SIMD4<UInt64>.self)
        let mean = unsafeBitCast(t & 0x7FF0_0000_003F_C000, to: SIMD4<Double>.self) - 0x1p38
        let none = w .== 0
        out = mean.replacing(with: out, where: none)
        zeros += SIMD4<Double>.zero.replacing(with: 1, where: none)
        r += ((w + 0.5) + 0x1.8p58) - 0x1.8p58
    }
}
