/// Where the held cell is: its key and first voxel, and the grid.
struct HeldMeanCell {
    let grid: CellGrid
    /// The held cell's key (see the walker); all ones (no floor has that pattern) when none is held.
    private(set) var key = SIMD4<UInt64>(repeating: ~0)
    private var base = 0

    /// Whether `key` is the held cell's: compared as doubles (one comparison per two lanes),
    /// which is comparing bits here: a held key's lanes are finite and nonzero, and the key of
    /// none is NaN.
    @inline(__always)
    func holds(_ key: SIMD4<UInt64>) -> Bool {
        all(unsafeBitCast(key, to: SIMD4<Double>.self) .== unsafeBitCast(self.key, to: SIMD4<Double>.self))
    }

    /// Whether a cell is held.
    var holding: Bool { key != SIMD4(repeating: ~0) }

    init(grid: CellGrid) {
        self.grid = grid
    }

    /// Writes back the held cell from `held`, then holds the cell of `key` (floor sum bits
    /// `sum`), loading it into `held`, when it is regular: no zero fraction (bit 0 of the key's
    /// x, y, z lanes), wholly in the grid and both layers in the slab. False, holding none,
    /// otherwise.
    @inline(__always)
    mutating func move(to key: SIMD4<UInt64>, _ sum: SIMD4<UInt64>, _ held: inout HeldCorners) -> Bool {
        flush(held)
        let corner = SIMD4<Int>(truncatingIfNeeded: sum &>> 16) &- PlusRounding.roundBitsBias
        let x0 = corner.x, y0 = corner.y, z0 = corner.z
        // x0 >= 0 && x0 + 1 < d.x (as unsigned), the same for y and z; both layers in the slab.
        guard (key.x | key.y | key.z) & 1 == 0,
              UInt(bitPattern: x0) < UInt(bitPattern: grid.dimensions.x &- 1), UInt(bitPattern: y0) < UInt(bitPattern: grid.dimensions.y &- 1),
              UInt(bitPattern: z0) < UInt(bitPattern: grid.dimensions.z &- 1), z0 >= grid.slab.lowerBound, z0 < grid.slab.upperBound else { return false }
        self.key = key
        base = x0 &+ y0 &* grid.strideY &+ z0 &* grid.strideZ
        let (far, near) = grid.corners(base)
        // A pixel adds less than 257 to an accumulation (256 w < 256.01, plus rounding), so in
        // the next (threshold - the largest) / 257 pixels every S stays at most the threshold:
        // none crosses it nor reaches 65535.
        let threshold = VoxelAccumulation.threshold
        var top = 0
        for lane in 0..<4 {
            let af = Int(grid.acc[far[lane]]), an = Int(grid.acc[near[lane]])
            held.farOut[lane] = Double(grid.out[far[lane]])
            held.farAcc[lane] = Double(af)
            held.nearOut[lane] = Double(grid.out[near[lane]])
            held.nearAcc[lane] = Double(an)
            top = max(top, af, an)
        }
        held.quiet = (threshold &- top) / 257
        return true
    }

    /// Writes the held cell back from `held` (integers below 2^16: the low bits of x + 2^52).
    @inline(__always)
    mutating func flush(_ held: HeldCorners) {
        guard holding else { return }
        let (far, near) = grid.corners(base)
        let fo = unsafeBitCast(held.farOut + 0x1p52, to: SIMD4<UInt64>.self)
        let fa = unsafeBitCast(held.farAcc + 0x1p52, to: SIMD4<UInt64>.self)
        let no = unsafeBitCast(held.nearOut + 0x1p52, to: SIMD4<UInt64>.self)
        let na = unsafeBitCast(held.nearAcc + 0x1p52, to: SIMD4<UInt64>.self)
        for lane in 0..<4 {
            grid.out[far[lane]] = UInt8(truncatingIfNeeded: fo[lane])
            grid.acc[far[lane]] = UInt16(truncatingIfNeeded: fa[lane])
            grid.out[near[lane]] = UInt8(truncatingIfNeeded: no[lane])
            grid.acc[near[lane]] = UInt16(truncatingIfNeeded: na[lane])
        }
        key = SIMD4(repeating: ~0)
    }
}
