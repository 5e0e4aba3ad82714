import Imaging

extension SlicePaster {
    /// Trilinear LATEST or MAXIMUM in double precision (PARTIAL / NONE) into 8-bit voxels; nil
    /// for other voxel types, other compounding rules and absurdly large grids (the generic
    /// walker pastes those).
    ///
    /// The same voxel updates as `walk` with `LinearSplat` and `LatestCompounding` /
    /// `MaximumCompounding` (same positions, fractions and products `fx * (fy * fz)`, the same
    /// 1/8 threshold and stored accumulation), so the output is bit-identical, organised for
    /// speed: consecutive pixels of a row mostly fall in the same grid cell (about 4 pixels per
    /// cell on a 0.08 mm frame into a 0.3 mm grid), so the cell's eight voxels are held in
    /// registers (value and the accumulation of the pixel that last set it, in one double) and
    /// updated without branches, and written back once when the row moves to another cell. The
    /// 1/8 tests, the MAXIMUM comparisons and the selects run on the eight corners as four-lane
    /// vectors.
    static func linearDouble<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                            _ a: DoubleArithmetic) -> PasteCounts? {
        guard V.self == UInt8.self, let f = f as? PreparedFrame<UInt8>, let t = t as? PasteTarget<UInt8> else { return nil }
        let d = t.dimensions
        // The cell corner is `PlusRounding.floor` by bits (`HeldCellPosition`): exact for coordinates
        // below 2^35 in magnitude, monotone beyond, so no coordinate outside a grid of fewer than
        // 2^35 voxels a side lands inside it.
        guard d.x < 1 << 30, d.y < 1 << 30, d.z < 1 << 30 else { return nil }
        guard !hasTinyComponents(f.mapping) else { return nil }
        let p = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
        switch t.compounding {
        case .latest: return linearDouble(f, p, t, a, LatestCorners.self)
        case .maximum: return linearDouble(f, p, t, a, MaximumCorners.self)
        default: return nil
        }
    }

    /// Whether the map has a component below 2^-100 in magnitude (but 0). Without one every
    /// nonzero fraction is at least 2^-210 and no corner weight underflows to 0 (nor is
    /// subnormal): a corner's weight is nonzero exactly when its fractions are.
    static func hasTinyComponents(_ m: FrameMapping) -> Bool {
        for v in [m.origin, m.xAxis, m.yAxis] {
            for k in 0..<3 where v[k] != 0 && abs(v[k]) < 0x1p-100 { return true }
        }
        return false
    }

    private static func linearDouble<R: ReplacingCorners>(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>,
                                                          _ t: PasteTarget<UInt8>, _ a: DoubleArithmetic, _: R.Type) -> PasteCounts {
        var counts = PasteCounts()
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return counts }
        var cell = HeldCell(out: t.voxels, acc: t.accumulation, dimensions: t.dimensions, slab: a.slab)
        let reject = t.rejectBelow ?? -.infinity
        let axis = SIMD4(f.mapping.xAxis, 0)
        let eighth = SIMD4<Double>(repeating: 0.125)
        let shift = SIMD4<Double>(repeating: PlusRounding.shift)
        let fractionCleared = SIMD4<UInt64>(repeating: ~0xFFFF)
        let roundingShift = SIMD4<Double>(repeating: PlusRounding.shift + 0.5)
        let accumulationScale = SIMD4<Double>(repeating: Double(SlicePaster.accumulationMultiplier))
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = a.linearRange(row: row, width: f.width)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            let origin = SIMD4(a.cursor(row: row, x: 0).row, 0)
            for k in 0..<2 {
                let (s0, e0) = mask.segment(k, row: row)
                let s = max(s0, t0), e = min(e0, t1)
                guard s <= e else { continue }
                var pasted = 0
                var updates = 0
                for x in s...e {
                    let value = Double(rowPixels[x])
                    if value < reject { continue }
                    let position = HeldCellPosition(origin + Double(x) * axis)
                    let fraction = position.fraction
                    if position.key != cell.key {
                        // Another cell, or outside the grid or the slab (then not pasted).
                        guard cell.move(to: position.key, position.sum, fraction) else { continue }
                    }
                    // The y-z products times fx (the x0 + 1 corners) and rx (the x0 corners).
                    // Corners in a layer outside the slab may take the pixel too: the cell never
                    // reads nor writes that layer, nor counts its corners.
                    let q = position.yzWeights
                    let wFar = SIMD4(repeating: fraction.x) * q, wNear = SIMD4(repeating: 1 - fraction.x) * q
                    // A corner that takes the pixel holds value * 2^16 + its stored accumulation
                    // (`stored(w * 256)`, here `roundNear`: w is about 1/8 to 1), the accumulation
                    // as `roundBits` finds it, by clearing the sum's 16 fraction bits.
                    let high = SIMD4<Double>(repeating: value * 65536)
                    let offset = high - shift
                    @inline(__always)
                    func held(_ w: SIMD4<Double>) -> SIMD4<Double> {
                        let sum = unsafeBitCast(w * accumulationScale + roundingShift, to: SIMD4<UInt64>.self)
                        return unsafeBitCast(sum & fractionCleared, to: SIMD4<Double>.self) + offset
                    }
                    cell.far.replace(with: held(wFar), where: R.wins(wFar .>= eighth, cell.far, high))
                    cell.near.replace(with: held(wNear), where: R.wins(wNear .>= eighth, cell.near, high))
                    pasted &+= 1
                    updates &+= cell.corners
                }
                counts.pixels += pasted
                counts.voxelUpdates += updates
            }
        }
        cell.flush()
        return counts
    }
}

/// LATEST or MAXIMUM on the corners of a held cell: which of the corners reaching 1/8 take
/// the pixel.
private protocol ReplacingCorners {
    static func wins(_ reaching: SIMDMask<SIMD4<Int64>>, _ held: SIMD4<Double>, _ value: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>>
}

/// LATEST: every corner reaching 1/8.
private enum LatestCorners: ReplacingCorners {
    @inline(__always)
    static func wins(_ reaching: SIMDMask<SIMD4<Int64>>, _ held: SIMD4<Double>, _ value: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>> {
        reaching
    }
}

/// MAXIMUM: corners reaching 1/8 whose voxel is darker than the pixel (held and value: voxel
/// value * 2^16 + accumulation below 2^16, and pixel value * 2^16).
private enum MaximumCorners: ReplacingCorners {
    @inline(__always)
    static func wins(_ reaching: SIMDMask<SIMD4<Int64>>, _ held: SIMD4<Double>, _ value: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>> {
        reaching .& (held .< value)
    }
}

/// The grid cell the row is in, its eight voxels held in registers: `far` the x + 1 corners,
/// `near` the x corners, each voxel as value * 2^16 + accumulation (exact in a double), lanes
/// [z + 1 and y + 1, z + 1, y + 1, the cell's own x, y, z layer and row].
private struct HeldCell {
    let out: SharedBuffer<UInt8>
    let acc: SharedBuffer<UInt16>
    let dimensions: SIMD3<Int>
    let strideY: Int
    let strideZ: Int
    let slab: ClosedRange<Int>
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

    init(out: SharedBuffer<UInt8>, acc: SharedBuffer<UInt16>, dimensions: SIMD3<Int>, slab: ClosedRange<Int>) {
        self.out = out
        self.acc = acc
        self.dimensions = dimensions
        strideY = dimensions.x
        strideZ = dimensions.x * dimensions.y
        self.slab = slab
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
        guard UInt(bitPattern: x0) < UInt(bitPattern: dimensions.x &- x1), UInt(bitPattern: y0) < UInt(bitPattern: dimensions.y &- y1),
              z0 >= 0, z0 &+ z1 < dimensions.z, z0 &+ z1 >= slab.lowerBound, z0 <= slab.upperBound else { return false }
        enter(key, x0 &+ y0 &* strideY &+ z0 &* strideZ, z0, x1, y1, z1)
        return true
    }

    @inline(__always)
    private mutating func enter(_ k: SIMD4<UInt64>, _ b: Int, _ z0: Int, _ x1: Int, _ y1: Int, _ z1: Int) {
        flush()
        key = k
        held = true
        base = b
        dx = x1
        dy = y1 &* strideY
        dz = z1 &* strideZ
        lower = z0 >= slab.lowerBound
        upper = z0 &+ 1 <= slab.upperBound
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
        c[lane] = Double(Int(out[i]) &<< 16 | Int(acc[i]))
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
        out[i] = UInt8(truncatingIfNeeded: c[lane] &>> 16)
        acc[i] = UInt16(truncatingIfNeeded: c[lane])
    }

    /// Held corners as integers (`roundBits` of an integer below 2^24: the integer in the low
    /// 32 bits, as `roundBitsBias` has none there).
    @inline(__always)
    private static func stored(_ c: SIMD4<Double>) -> SIMD4<UInt64> {
        unsafeBitCast(c + SIMD4(repeating: PlusRounding.shift + 0.5), to: SIMD4<UInt64>.self) &>> 16
    }
}

