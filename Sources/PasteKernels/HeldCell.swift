/// The grid cell the row is in, its eight voxels held in registers: `far` the x + 1 corners,
/// `near` the x corners, each voxel as value * 2^16 + accumulation (exact in a double), lanes
/// [z + 1 and y + 1, z + 1, y + 1, the cell's own x, y, z layer and row].
struct HeldCell {
    let grid: CellGrid
    var far = SIMD4<Double>.zero
    var near = SIMD4<Double>.zero
    /// The held cell's key (see the walker); all ones (no floor has that pattern) when none is held.
    private(set) var key = SIMD4<UInt64>(repeating: ~0)
    private var held = false
    private var base = 0, dx = 0, dy = 0, dz = 0
    /// Whether the z0 layer and the z0 + 1 layer are in the slab.
    private var lower = false, upper = false
    /// The number of corners of nonzero weight in the slab, the same for every pixel of the cell.
    private(set) var corners = 0

    init(grid: CellGrid) {
        self.grid = grid
    }

    /// Holds the cell of `key` (writing back the held one first), the cell whose floor sum bits
    /// are `sum` and fractions `fraction`; false, holding the same cell as before, when that
    /// cell is not wholly in the grid or touches no layer of the slab.
    @inline(__always)
    mutating func move(to key: SIMD4<UInt64>, _ sum: SIMD4<UInt64>, _ fraction: SIMD4<Double>) -> Bool {
        let corner = SIMD4<Int>(truncatingIfNeeded: sum &>> 16) &- PlusRounding.roundBitsBias
        let x0 = corner.x, y0 = corner.y, z0 = corner.z
        let x1 = fraction.x != 0 ? 1 : 0, y1 = fraction.y != 0 ? 1 : 0, z1 = fraction.z != 0 ? 1 : 0
        // x0 >= 0 && x0 + x1 < d.x (as unsigned), the same for y; z in the grid and touching the slab.
        guard UInt(bitPattern: x0) < UInt(bitPattern: grid.dimensions.x &- x1), UInt(bitPattern: y0) < UInt(bitPattern: grid.dimensions.y &- y1),
              z0 >= 0, z0 &+ z1 < grid.dimensions.z, z0 &+ z1 >= grid.slab.lowerBound, z0 <= grid.slab.upperBound else { return false }
        enter(key, x0 &+ y0 &* grid.strideY &+ z0 &* grid.strideZ, z0, x1, y1, z1)
        return true
    }

    @inline(__always)
    private mutating func enter(_ k: SIMD4<UInt64>, _ b: Int, _ z0: Int, _ x1: Int, _ y1: Int, _ z1: Int) {
        flush()
        key = k
        held = true
        base = b
        dx = x1
        dy = y1 &* grid.strideY
        dz = z1 &* grid.strideZ
        lower = z0 >= grid.slab.lowerBound
        upper = z0 &+ 1 <= grid.slab.upperBound
        corners = (1 &+ x1) &* (1 &+ y1) &* ((lower ? 1 : 0) &+ (upper ? z1 : 0))
        // Corners in a layer outside the slab are neither read nor written.
        far = .zero
        near = .zero
        if upper {
            load(&far, 0, b &+ dx &+ dz &+ dy)
            load(&far, 1, b &+ dx &+ dz)
            load(&near, 0, b &+ dz &+ dy)
            load(&near, 1, b &+ dz)
        }
        if lower {
            load(&far, 2, b &+ dx &+ dy)
            load(&far, 3, b &+ dx)
            load(&near, 2, b &+ dy)
            load(&near, 3, b)
        }
    }

    @inline(__always)
    private func load(_ c: inout SIMD4<Double>, _ lane: Int, _ i: Int) {
        c[lane] = Double(Int(grid.out[i]) &<< 16 | Int(grid.acc[i]))
    }

    /// Writes the held cell back. A zero fraction makes its far corners the near voxels with
    /// weight 0 (never taken): far corners are written first, so the near ones' values stay.
    @inline(__always)
    mutating func flush() {
        guard held else { return }
        let b = base
        let far = Self.stored(far), near = Self.stored(near)
        if upper {
            store(far, 0, b &+ dx &+ dz &+ dy)
            store(far, 1, b &+ dx &+ dz)
            store(near, 0, b &+ dz &+ dy)
            store(near, 1, b &+ dz)
        }
        if lower {
            store(far, 2, b &+ dx &+ dy)
            store(far, 3, b &+ dx)
            store(near, 2, b &+ dy)
            store(near, 3, b)
        }
        held = false
        key = SIMD4(repeating: ~0)
    }

    @inline(__always)
    private func store(_ c: SIMD4<UInt64>, _ lane: Int, _ i: Int) {
        grid.out[i] = UInt8(truncatingIfNeeded: c[lane] &>> 16)
        grid.acc[i] = UInt16(truncatingIfNeeded: c[lane])
    }

    /// Held corners as integers (`roundBits` of an integer below 2^24: the integer in the low
    /// 32 bits, as `roundBitsBias` has none there).
    @inline(__always)
    private static func stored(_ c: SIMD4<Double>) -> SIMD4<UInt64> {
        unsafeBitCast(c + SIMD4(repeating: PlusRounding.shift + 0.5), to: SIMD4<UInt64>.self) &>> 16
    }
}
