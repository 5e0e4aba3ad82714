import Imaging

/// The arithmetic of a paste, PLUS's two: where a pixel lands in the output grid and how
/// trilinear weights are formed and accumulated. `FixedPointArithmetic` is PLUS's FULL
/// optimization (14-bit fixed point), `DoubleArithmetic` its PARTIAL/NONE (double precision).
///
/// One value serves one frame and one z-slab (`slab`): it holds the frame's pixel-to-voxel map in
/// its own number format and the grid's strides.
protocol PasteArithmetic {
    /// A trilinear weight (1 = the whole pixel).
    associatedtype Weight
    /// Where the walk along a row is: enough to locate the current pixel.
    associatedtype Cursor

    /// The z-slab being written.
    var slab: ClosedRange<Int> { get }

    /// The pixels `first...last` of `row` that may land in the slab by nearest neighbour.
    func nearestRange(row: Int, width: Int) -> (first: Int, last: Int)
    /// The pixels `first...last` of `row` that may land in the slab by trilinear splatting.
    func linearRange(row: Int, width: Int) -> (first: Int, last: Int)
    /// The cursor at pixel (`x`, `row`).
    func cursor(row: Int, x: Int) -> Cursor
    /// Moves `cursor` to the next pixel of its row.
    func advance(_ cursor: inout Cursor)
    /// The voxel index nearest to the cursor's pixel, or nil when it is outside the grid or slab.
    func nearestVoxel(_ cursor: Cursor) -> Int?
    /// The grid cell around the cursor's pixel, or nil when the cell is not wholly in the grid or
    /// touches no layer of the slab.
    func linearCell(_ cursor: Cursor) -> LinearCell<Weight>?

    /// `1 - w`.
    static func complement(_ w: Weight) -> Weight
    /// `a * b`, rounded as PLUS rounds it.
    static func multiply(_ a: Weight, _ b: Weight) -> Weight
    /// Whether a corner weight is zero (PLUS skips such corners).
    static func isZero(_ w: Weight) -> Bool
    /// Whether a corner weight reaches 1/8, PLUS's threshold for LATEST and MAXIMUM.
    static func reachesEighth(_ w: Weight) -> Bool
    /// The accumulation LATEST and MAXIMUM store for a corner of weight `w` (`w * 256`, rounded).
    static func accumulation(cornerWeight w: Weight) -> UInt16
    /// The weight in double precision.
    static func toDouble(_ w: Weight) -> Double
    /// Linear MEAN at voxel `i` for a corner of weight `w`; returns 1 when its accumulation overflowed.
    static func mean<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Weight) -> Int
}

/// The eight voxels around a pixel's fractional voxel position: the (x0, y0, z0) corner's index,
/// the offsets to the far corners (0 where the fraction is 0) and the fractions.
struct LinearCell<Weight> {
    /// Index of the (floor x, floor y, floor z) voxel.
    let base: Int
    /// The two z layers the cell spans (equal when the z fraction is 0).
    let z0: Int, z1: Int
    /// Index offsets to the x + 1, y + 1, z + 1 corners (0 when that fraction is 0).
    let dx: Int, dy: Int, dz: Int
    /// Fractional parts.
    let fx: Weight, fy: Weight, fz: Weight
}
