import Imaging

/// Trilinear MEAN in double precision (PLUS's PARTIAL/NONE) of 8-bit pixels into 8-bit
/// voxels, the cell held in registers: row segments in, the same voxel updates as PLUS's
/// per-pixel splat (`LinearSplat` with `MeanCompounding` in Reconstruction), bit for bit.
///
/// Consecutive pixels of a row mostly fall in the same grid cell (about 4 pixels per cell on
/// a 0.08 mm frame into a 0.3 mm grid). While the row stays in a regular cell (all eight
/// corners distinct, nonzero fractions, in the grid and both layers in the slab) its eight
/// voxels' values and accumulations are held as doubles in four-lane vectors, updated per
/// pixel without loads, conversions or stores, and written back once when the row leaves
/// the cell. Pixels in other cells go to the caller's exact generic form (after the held cell
/// is written back). Segments must come in frame, row, column order, so a voxel's updates
/// stay in that order.
///
/// Per corner PLUS computes r = acc / 256, sum = w + r, out = Round((w in + r out) / sum),
/// acc = stored(256 sum). Here everything is scaled by 256, exactly (a power of two, and no
/// weight is subnormal: without map components below 2^-100 (but 0) every nonzero fraction is
/// at least 2^-210, which the caller checks): W = 256 w, A = acc, S = W + A = 256 sum and
/// (W in + A out) / S = (w in + r out) / sum, each rounding the same. The fractions lie in
/// (-2^-17, 1) and their complements in (2^-18, 1 + 2^-17) (PLUS's floor tolerance), so
/// every weight w is within (-2^-16, 1.0001):
/// - the quotient is a weighted mean of 8-bit values with at most a tiny negative weight
///   against A >= 1 (or A = 0, where it is W in / W): far inside `roundBits`'s range, never
///   NaN; the held value is the rounded value's low 8 bits (what the UInt8 store keeps);
/// - S > -0.5, so the stored accumulation is round(min(S, 65535)), never negative: PLUS's
///   other branches for it cannot be taken.
///
/// The module is compiled twice (baseline and AVX2, `PasteKernelsAVX2`); this walker's
/// methods are not inlinable, so each copy runs its own instructions.
public struct HeldMeanWalker {
    private var cell: HeldMeanCell
    private var held = HeldCorners()
    private let axis: SIMD4<Double>
    private let reject: Double
    /// Voxels whose accumulation crossed PLUS's overflow threshold in the held cells.
    public private(set) var overflows = 0

    /// A walker over a grid of `dimensions` (each below 2^30, else nil: the cell corner is
    /// `PlusRounding.floor` by bits) pasting into the z layers of `slab`, for frames whose
    /// pixel x axis is `xAxis` in voxels; pixels below `rejectBelow` are skipped.
    public init?(voxels: SharedBuffer<UInt8>, accumulation: SharedBuffer<UInt16>, dimensions: SIMD3<Int>,
                 slab: ClosedRange<Int>, xAxis: SIMD3<Double>, rejectBelow: Double?) {
        guard dimensions.x < 1 << 30, dimensions.y < 1 << 30, dimensions.z < 1 << 30 else { return nil }
        cell = HeldMeanCell(grid: CellGrid(out: voxels, acc: accumulation, dimensions: dimensions, slab: slab))
        axis = SIMD4(xAxis, 0)
        reject = rejectBelow ?? -.infinity
    }

    /// Pastes pixels `first...last` of `row` (pixel 0 at voxel position `origin`); a pixel in
    /// a cell that is not regular goes to `other` (pixel index, value), which pastes it exactly
    /// and returns the number of voxels it updated. Returns the pixels pasted and the voxel
    /// updates.
    public mutating func paste(_ row: UnsafePointer<UInt8>, origin: SIMD3<Double>, _ first: Int, _ last: Int,
                               other: (Int, UInt8) -> Int) -> (pixels: Int, updates: Int) {
        let origin = SIMD4(origin, 0)
        let scale = Double(VoxelAccumulation.multiplier)
        // The state in locals for the loop (kept in registers across the calls to `other`).
        var cell = self.cell, held = self.held, overflows = self.overflows
        defer { self.cell = cell; self.held = held; self.overflows = overflows }
        var pasted = 0, updates = 0
        for x in first...last {
            let pixel = row[x]
            let value = Double(pixel)
            if value < reject { continue }
            let position = HeldCellPosition(origin + Double(x) * axis)
            if !cell.holds(position.key) && !cell.move(to: position.key, position.sum, &held) {
                // Not a regular cell (the held one is written back): the exact generic form.
                let n = other(x, pixel)
                if n > 0 { pasted &+= 1; updates &+= n }
                continue
            }
            // The y-z products times 256 fx (the x + 1 corners) and 256 rx: the generic
            // products fx * (fy * fz) scaled exactly.
            let fraction = position.fraction
            let q = position.yzWeights
            let check = held.quiet <= 0
            held.quiet &-= 1
            HeldCorners.mean(&held.farOut, &held.farAcc, (fraction.x * scale) * q, value, check, &overflows)
            HeldCorners.mean(&held.nearOut, &held.nearAcc, ((1 - fraction.x) * scale) * q, value, check, &overflows)
            pasted &+= 1
            updates &+= 8
        }
        return (pasted, updates)
    }

    /// Writes the held cell back: call after the frame's last segment.
    public mutating func finish() {
        cell.flush(held)
    }
}
