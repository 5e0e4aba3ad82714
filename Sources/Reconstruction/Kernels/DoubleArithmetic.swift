import Imaging
import PasteKernels

/// PLUS's PARTIAL/NONE optimization: each pixel's voxel position computed in double precision
/// as `origin + row * yAxis + x * xAxis`, floored and rounded with PLUS's tolerance, and tested
/// against the grid and slab pixel by pixel (within a conservative per-row range).
struct DoubleArithmetic: PasteArithmetic {
    typealias Weight = Double

    /// The row's origin and the pixel's column.
    struct Cursor {
        let row: SIMD3<Double>
        var x: Double
    }

    let slab: ClosedRange<Int>
    let mapping: FrameMapping
    private let dimensions: SIMD3<Int>
    let strideY: Int
    let strideZ: Int
    /// Whether every position within half a voxel of the grid is in `PlusRounding.roundBits`'s range.
    let nearGrid: Bool

    init(mapping: FrameMapping, dimensions: SIMD3<Int>, slab: ClosedRange<Int>) {
        self.slab = slab
        self.mapping = mapping
        self.dimensions = dimensions
        strideY = dimensions.x
        strideZ = dimensions.x * dimensions.y
        nearGrid = dimensions.x < 1 << 29 && dimensions.y < 1 << 29 && dimensions.z < 1 << 29
    }

    /// Exactly the pixels that round into the grid and slab. Along a row each coordinate
    /// `row + x * axis` is monotone in x (a rounded product, then a rounded sum), and so is its
    /// rounding, so those pixels form one interval: the superset of positions in [-0.5, n - 0.5]
    /// on x, y and within half a voxel of the slab on z is trimmed at both ends by the exact
    /// test, and `nearestVoxel` needs none.
    @inline(__always)
    func nearestRange(row: Int, width: Int) -> (first: Int, last: Int) {
        let d = dimensions
        var (first, last) = range(row: row, width: width, lo: SIMD3(-0.5, -0.5, Double(slab.lowerBound) - 0.5),
                                  hi: SIMD3(Double(d.x) - 0.5, Double(d.y) - 0.5, Double(slab.upperBound) + 0.5))
        let start = cursor(row: row, x: 0)
        while first <= last && !roundsInside(Cursor(row: start.row, x: Double(first))) { first += 1 }
        while last >= first && !roundsInside(Cursor(row: start.row, x: Double(last))) { last -= 1 }
        return (first, last)
    }

    /// Whether the cursor's pixel rounds into the grid and slab.
    @inline(__always)
    private func roundsInside(_ c: Cursor) -> Bool {
        let v = position(c), d = dimensions
        let ix = PlusRounding.round(v.x), iy = PlusRounding.round(v.y), iz = PlusRounding.round(v.z)
        return ix >= 0 && ix < d.x && iy >= 0 && iy < d.y && iz >= slab.lowerBound && iz <= slab.upperBound
    }

    /// Pixels whose cell can be in the grid and touch the slab: positions in [-0.5, n - 0.5] on
    /// x, y and within one voxel of the slab on z.
    @inline(__always)
    func linearRange(row: Int, width: Int) -> (first: Int, last: Int) {
        let d = dimensions
        return range(row: row, width: width, lo: SIMD3(-0.5, -0.5, Double(slab.lowerBound) - 1),
                     hi: SIMD3(Double(d.x) - 0.5, Double(d.y) - 0.5, Double(slab.upperBound) + 1))
    }

    /// A superset of the pixels of `row` whose position is within `lo...hi` (voxel units): the
    /// interval solved in double precision, widened by a margin far above the rounding error
    /// of a position and by one pixel at each end. The exact per-pixel tests still decide inside
    /// it; it only spares the pixels that would fail them (most of a frame in another worker's
    /// slab), so the output is unchanged.
    private func range(row: Int, width: Int, lo: SIMD3<Double>, hi: SIMD3<Double>) -> (first: Int, last: Int) {
        let p = mapping.origin + Double(row) * mapping.yAxis, a = mapping.xAxis
        // A non-finite row origin puts every pixel of the row at a non-finite position.
        guard p.x.isFinite && p.y.isFinite && p.z.isFinite else { return (1, 0) }
        var t0 = 0.0, t1 = Double(width - 1)
        for k in 0..<3 {
            let margin = 1e-3 + 1e-9 * (abs(p[k]) + Double(width) * abs(a[k]))
            let l = lo[k] - margin, h = hi[k] + margin
            if a[k] == 0 {
                if p[k] < l || p[k] > h { return (1, 0) }
                continue
            }
            var u = (l - p[k]) / a[k], v = (h - p[k]) / a[k]
            if u > v { swap(&u, &v) }
            // Comparisons with NaN are false: such a bound narrows nothing.
            if u > t0 { t0 = u }
            if v < t1 { t1 = v }
        }
        guard t0 <= t1 else { return (1, 0) }
        // 0 <= t0 <= t1 <= width - 1 here, so the conversions cannot trap.
        return (max(0, Int(t0) - 1), min(width - 1, Int(t1) + 1))
    }

    @inline(__always)
    func cursor(row: Int, x: Int) -> Cursor {
        Cursor(row: mapping.origin + Double(row) * mapping.yAxis, x: Double(x))
    }

    @inline(__always)
    func advance(_ c: inout Cursor) { c.x += 1 }

    @inline(__always)
    private func position(_ c: Cursor) -> SIMD3<Double> { c.row + c.x * mapping.xAxis }

    /// In the grid and slab by construction of `nearestRange`.
    @inline(__always)
    func nearestVoxel(_ c: Cursor) -> Int? {
        let v = position(c)
        // Positions within half a voxel of the grid: roundBits's range unless the grid is absurd.
        guard nearGrid else {
            return PlusRounding.round(v.x) &+ PlusRounding.round(v.y) &* strideY &+ PlusRounding.round(v.z) &* strideZ
        }
        // round(v) per axis as roundBits(v) - bias (roundNear; y and z through Int32: that
        // keeps the compiler from packing them into emulated 64-bit vector multiplies).
        let bx = PlusRounding.roundBits(v.x), by = PlusRounding.roundBits(v.y), bz = PlusRounding.roundBits(v.z)
        let iy = Int(Int32(truncatingIfNeeded: by &- PlusRounding.roundBitsBias))
        let iz = Int(Int32(truncatingIfNeeded: bz &- PlusRounding.roundBitsBias))
        return bx &- PlusRounding.roundBitsBias &+ iy &* strideY &+ iz &* strideZ
    }

    @inline(__always)
    func linearCell(_ c: Cursor) -> LinearCell<Double>? {
        let v = position(c), d = dimensions
        let x0 = PlusRounding.floor(v.x), y0 = PlusRounding.floor(v.y), z0 = PlusRounding.floor(v.z)
        let fx = v.x - Double(x0), fy = v.y - Double(y0), fz = v.z - Double(z0)
        let x1 = fx != 0 ? 1 : 0, y1 = fy != 0 ? 1 : 0, z1 = fz != 0 ? 1 : 0
        guard x0 >= 0, y0 >= 0, z0 >= 0, x0 + x1 < d.x, y0 + y1 < d.y, z0 + z1 < d.z else { return nil }
        guard z0 + z1 >= slab.lowerBound, z0 <= slab.upperBound else { return nil }
        return LinearCell(base: x0 + y0 * strideY + z0 * strideZ, z0: z0, z1: z0 + z1, dx: x1, dy: y1 * strideY, dz: z1 * strideZ,
                          fx: fx, fy: fy, fz: fz)
    }

    @inline(__always)
    static func complement(_ w: Double) -> Double { 1 - w }

    @inline(__always)
    static func multiply(_ a: Double, _ b: Double) -> Double { a * b }

    @inline(__always)
    static func isZero(_ w: Double) -> Bool { w == 0 }

    @inline(__always)
    static func reachesEighth(_ w: Double) -> Bool { w >= 0.125 }

    @inline(__always)
    static func accumulation(cornerWeight w: Double) -> UInt16 { stored(w * Double(SlicePaster.accumulationMultiplier)) }

    @inline(__always)
    static func toDouble(_ w: Double) -> Double { w }

    /// PLUS's double-precision MEAN.
    @inline(__always)
    static func mean<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Double) -> Int {
        let a = Int(acc[i])
        let r = Double(a) / 256
        let sum = w + r
        out[i] = V.meanLinearDouble(weight: w, previous: r, sum: sum, input: value, output: out[i])
        let newA = sum * 256
        acc[i] = stored(newA)
        return newA > Double(SlicePaster.accumulationThreshold) && a <= SlicePaster.accumulationThreshold ? 1 : 0
    }

    /// An accumulation computed in double precision as PLUS stores it: rounded, capped at 65535,
    /// negatives stored as 0. Between -1 and 65535 (corner weights, within 2^-17 of [0, 1], times
    /// 256 plus an accumulation) by the branch-free `roundNear`.
    @inline(__always)
    static func stored(_ a: Double) -> UInt16 {
        guard a < Double(SlicePaster.accumulationMaximum) else { return UInt16(SlicePaster.accumulationMaximum) }
        return a > -1 ? UInt16(truncatingIfNeeded: max(0, PlusRounding.roundNear(a))) : 0
    }
}
