import Imaging

/// Trilinear LATEST or MAXIMUM in double precision (PLUS's PARTIAL/NONE) of 8-bit pixels into
/// 8-bit voxels, the cell held in registers: row segments in, the same voxel updates as PLUS's
/// per-pixel splat (`LinearSplat` with `LatestCompounding` / `MaximumCompounding` in
/// Reconstruction: same positions, fractions and products `fx * (fy * fz)`, the same 1/8
/// threshold and stored accumulation), bit for bit.
///
/// Consecutive pixels of a row mostly fall in the same grid cell (about 4 pixels per cell on a
/// 0.08 mm frame into a 0.3 mm grid), so the cell's eight voxels are held in registers (value
/// and the accumulation of the pixel that last set it, in one double) and updated without
/// branches, and written back once when the row moves to another cell. The 1/8 tests, the
/// MAXIMUM comparisons and the selects run on the eight corners as four-lane vectors. Segments
/// must come in frame, row, column order.
///
/// The module is compiled twice (baseline and AVX2, `PasteKernelsAVX2`); this walker's
/// methods are not inlinable, so each copy runs its own instructions.
public struct HeldReplaceWalker {
    /// MAXIMUM (the corners reaching 1/8 and darker than the pixel take it), else LATEST
    /// (every corner reaching 1/8).
    private let maximum: Bool
    private var cell: HeldCell
    private let axis: SIMD4<Double>
    private let reject: Double

    /// A walker over a grid of `dimensions` (each below 2^30, else nil: the cell corner is
    /// `PlusRounding.floor` by bits, exact for coordinates below 2^35 in magnitude and monotone
    /// beyond, so no coordinate outside such a grid lands inside it) pasting into the z layers
    /// of `slab`, for frames whose pixel x axis is `xAxis` in voxels, with no map component
    /// below 2^-100 but 0 (the caller checks: then no corner weight underflows); pixels below
    /// `rejectBelow` are skipped; `maximum` chooses MAXIMUM, else LATEST.
    public init?(maximum: Bool, voxels: SharedBuffer<UInt8>, accumulation: SharedBuffer<UInt16>, dimensions: SIMD3<Int>,
                 slab: ClosedRange<Int>, xAxis: SIMD3<Double>, rejectBelow: Double?) {
        guard dimensions.x < 1 << 30, dimensions.y < 1 << 30, dimensions.z < 1 << 30 else { return nil }
        self.maximum = maximum
        cell = HeldCell(grid: CellGrid(out: voxels, acc: accumulation, dimensions: dimensions, slab: slab))
        axis = SIMD4(xAxis, 0)
        reject = rejectBelow ?? -.infinity
    }

    /// Pastes pixels `first...last` of `row` (pixel 0 at voxel position `origin`); pixels
    /// outside the grid or the slab are not pasted. Returns the pixels pasted and the voxel
    /// updates.
    public mutating func paste(_ row: UnsafePointer<UInt8>, origin: SIMD3<Double>, _ first: Int, _ last: Int) -> (pixels: Int, updates: Int) {
        maximum ? paste(row, SIMD4(origin, 0), first, last, MaximumCorners.self)
            : paste(row, SIMD4(origin, 0), first, last, LatestCorners.self)
    }

    /// Writes the held cell back: call after the frame's last segment.
    public mutating func finish() {
        cell.flush()
    }

    private mutating func paste<R: ReplacingCorners>(_ row: UnsafePointer<UInt8>, _ origin: SIMD4<Double>, _ first: Int, _ last: Int,
                                                     _: R.Type) -> (pixels: Int, updates: Int) {
        let eighth = SIMD4<Double>(repeating: 0.125)
        let shift = SIMD4<Double>(repeating: PlusRounding.shift)
        let fractionCleared = SIMD4<UInt64>(repeating: ~0xFFFF)
        let roundingShift = SIMD4<Double>(repeating: PlusRounding.shift + 0.5)
        let accumulationScale = SIMD4<Double>(repeating: Double(VoxelAccumulation.multiplier))
        var cell = self.cell
        defer { self.cell = cell }
        var pasted = 0, updates = 0
        for x in first...last {
            let value = Double(row[x])
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
        return (pasted, updates)
    }
}
