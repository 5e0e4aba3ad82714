import Imaging

/// Trilinear MEAN with PLUS's FULL optimization (14-bit fixed point) of 8-bit pixels into
/// 8-bit voxels, the cell held in registers: row segments in, the same voxel updates as the
/// per-corner fixed-point kernel (`FixedPointByteKernels` in Reconstruction), bit for bit.
///
/// While a row stays in a regular cell (wholly in the grid, both layers in the slab, and far
/// enough below the overflow threshold) its eight voxels are held as doubles in four-lane
/// vectors (`HeldFixedMeanCell`), updated per pixel with two packed divisions instead of eight
/// scalar ones, and written back when the row leaves the cell. A zero fraction gives its far
/// corners weight 0, which leaves them as they are (the eight voxels stay distinct). Other
/// pixels go to the caller's exact per-corner form after the held cell is written back.
/// Segments must come in frame, row, column order, so every voxel's updates stay in order.
///
/// The weights are PLUS's `fast_multiply` products, (a b + 2^13) >> 14, computed on doubles:
/// a b 2^-14 + 2^-15 is exact and never halfway between integers, so rounding it to the
/// nearest integer (adding and subtracting 1.5 * 2^52) is that floor.
///
/// The module is compiled twice (baseline and AVX2, `PasteKernelsAVX2`); this walker's
/// methods are not inlinable, so each copy runs its own instructions.
public struct HeldFixedMeanWalker {
    private var cell: HeldFixedMeanCell
    private let step: SIMD3<Int>

    /// A walker over a grid of `dimensions` (each below 2^30, else nil) pasting into the z
    /// layers of `slab`, for frames whose fixed-point pixel x step is `xStep`.
    public init?(voxels: SharedBuffer<UInt8>, accumulation: SharedBuffer<UInt16>, dimensions: SIMD3<Int>,
                 slab: ClosedRange<Int>, xStep: SIMD3<Int>) {
        guard dimensions.x < 1 << 30, dimensions.y < 1 << 30, dimensions.z < 1 << 30 else { return nil }
        cell = HeldFixedMeanCell(grid: CellGrid(out: voxels, acc: accumulation, dimensions: dimensions, slab: slab))
        step = xStep
    }

    /// Pastes the `count` pixels from `pixels`, the first at fixed-point voxel position
    /// `start` (every position of the segment within the grid: 0 <= p <= (n - 1) 2^14 on each
    /// axis); a pixel in a cell that is not regular goes to `other` (its index in the
    /// segment), which pastes it exactly and returns the number of voxels it updated. Returns
    /// the pixels pasted and the voxel updates.
    public mutating func paste(_ pixels: UnsafePointer<UInt8>, count: Int, start: SIMD3<Int>,
                               other: (Int) -> Int) -> (pixels: Int, updates: Int) {
        var cell = self.cell
        defer { self.cell = cell }
        let mask = (1 << 14) - 1
        let one = Double(1 << 14)
        var px = start.x, py = start.y, pz = start.z
        var pasted = 0, updates = 0
        var zeros = SIMD4<Double>.zero
        for k in 0..<count {
            let x = px >> 14, y = py >> 14, z = pz >> 14
            let fx = px & mask, fy = py & mask, fz = pz & mask
            px &+= step.x; py &+= step.y; pz &+= step.z
            if !(cell.holds(x, y, z) && cell.quiet > 0) && !cell.move(x, y, z) {
                // Not a regular cell (the held one is written back): the exact per-corner form.
                let n = other(k)
                if n > 0 { pasted &+= 1; updates &+= n }
                continue
            }
            cell.quiet &-= 1
            let value = Double(pixels[k])
            let dy = Double(fy), dz = Double(fz) * 0x1p-14, dx = Double(fx) * 0x1p-14
            let ry = one - dy, rz = 0x1p0 - dz
            // [fy fz, ry fz, fy rz, ry rz] rounded, then times fx (x + 1 corners) and rx.
            let yz = Self.rounded(SIMD4(dy, ry, dy, ry) * SIMD4(dz, dz, rz, rz))
            let wFar = Self.rounded(dx * yz), wNear = Self.rounded((0x1p0 - dx) * yz)
            HeldFixedMeanCell.mean(&cell.farOut, &cell.farR, wFar, value, &zeros)
            HeldFixedMeanCell.mean(&cell.nearOut, &cell.nearR, wNear, value, &zeros)
            pasted &+= 1
            updates &+= 8
        }
        return (pasted, updates &- Int(zeros.sum()))
    }

    /// (p 2^14 + 2^13) >> 14 for p = a b 2^-14 (a, b integers in [0, 2^14]).
    @inline(__always)
    private static func rounded(_ p: SIMD4<Double>) -> SIMD4<Double> {
        ((p + 0x1p-15) + 0x1.8p52) - 0x1.8p52
    }

    /// Writes the held cell back: call after the frame's last segment.
    public mutating func finish() {
        cell.flush()
    }
}
