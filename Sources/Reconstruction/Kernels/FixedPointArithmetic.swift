import Imaging

/// PLUS's FULL optimization: voxel positions in 14-bit fixed point, advanced by exact integer
/// increments along a row; each row's in-slab pixel range is solved exactly in integers
/// (instead of PLUS's iterative `vtkUltraFindExtent`, with the same result), so no pixel needs
/// a bounds test.
struct FixedPointArithmetic: PasteArithmetic {
    typealias Weight = Int

    /// A pixel position, raw fixed-point voxel coordinates.
    struct Cursor {
        var x: Int, y: Int, z: Int
    }

    let slab: ClosedRange<Int>
    private let origin: SIMD3<Int>
    let xAxis: SIMD3<Int>
    private let yAxis: SIMD3<Int>
    private let dimensions: SIMD3<Int>
    let strideY: Int
    let strideZ: Int

    init(mapping: FrameMapping, dimensions: SIMD3<Int>, slab: ClosedRange<Int>) {
        self.slab = slab
        origin = mapping.originFixed
        xAxis = mapping.xAxisFixed
        yAxis = mapping.yAxisFixed
        self.dimensions = dimensions
        strideY = dimensions.x
        strideZ = dimensions.x * dimensions.y
    }

    /// The pixels of `row` with `lo <= position <= hi` on every axis.
    @inline(__always)
    private func range(row: Int, width: Int, lo: SIMD3<Int>, hi: SIMD3<Int>) -> (first: Int, last: Int) {
        let p = origin &+ row &* yAxis
        var t0 = 0, t1 = width - 1
        IntegerInterval.clamp(&t0, &t1, p: p.x, d: xAxis.x, lo: lo.x, hi: hi.x)
        IntegerInterval.clamp(&t0, &t1, p: p.y, d: xAxis.y, lo: lo.y, hi: hi.y)
        IntegerInterval.clamp(&t0, &t1, p: p.z, d: xAxis.z, lo: lo.z, hi: hi.z)
        return (t0, t1)
    }

    /// Rounds into the grid on x, y and into the slab on z.
    @inline(__always)
    func nearestRange(row: Int, width: Int) -> (first: Int, last: Int) {
        let one = FixedPoint.one, half = FixedPoint.half, d = dimensions
        return range(row: row, width: width,
                     lo: SIMD3(-half, -half, slab.lowerBound * one - half),
                     hi: SIMD3((d.x - 1) * one + half - 1, (d.y - 1) * one + half - 1, slab.upperBound * one + half - 1))
    }

    /// 0 <= position <= n - 1 on x, y (floor and ceil inside) and one of the two z layers in the slab.
    @inline(__always)
    func linearRange(row: Int, width: Int) -> (first: Int, last: Int) {
        let one = FixedPoint.one, d = dimensions
        let loZ = max(0, (slab.lowerBound - 1) * one + 1)
        let hiZ = min((d.z - 1) * one, (slab.upperBound + 1) * one - 1)
        return range(row: row, width: width, lo: SIMD3(0, 0, loZ), hi: SIMD3((d.x - 1) * one, (d.y - 1) * one, hiZ))
    }

    @inline(__always)
    func cursor(row: Int, x: Int) -> Cursor {
        let p = origin &+ row &* yAxis
        return Cursor(x: p.x &+ x &* xAxis.x, y: p.y &+ x &* xAxis.y, z: p.z &+ x &* xAxis.z)
    }

    @inline(__always)
    func advance(_ c: inout Cursor) {
        c.x &+= xAxis.x; c.y &+= xAxis.y; c.z &+= xAxis.z
    }

    /// In range by construction of `nearestRange`.
    @inline(__always)
    func nearestVoxel(_ c: Cursor) -> Int? {
        let half = FixedPoint.half
        return ((c.x &+ half) >> 14) &+ ((c.y &+ half) >> 14) &* strideY &+ ((c.z &+ half) >> 14) &* strideZ
    }

    /// In range by construction of `linearRange`.
    @inline(__always)
    func linearCell(_ c: Cursor) -> LinearCell<Int>? {
        let mask = FixedPoint.fractionMask
        let fx = c.x & mask, fy = c.y & mask, fz = c.z & mask
        let z0 = c.z >> 14
        return LinearCell(base: (c.x >> 14) &+ (c.y >> 14) &* strideY &+ z0 &* strideZ, z0: z0, z1: fz != 0 ? z0 &+ 1 : z0,
                          dx: fx != 0 ? 1 : 0, dy: fy != 0 ? strideY : 0, dz: fz != 0 ? strideZ : 0,
                          fx: fx, fy: fy, fz: fz)
    }

    @inline(__always)
    static func complement(_ w: Int) -> Int { FixedPoint.one &- w }

    @inline(__always)
    static func multiply(_ a: Int, _ b: Int) -> Int { FixedPoint.multiply(a, b) }

    @inline(__always)
    static func isZero(_ w: Int) -> Bool { w == 0 }

    @inline(__always)
    static func reachesEighth(_ w: Int) -> Bool { w >= FixedPoint.one / 8 }

    @inline(__always)
    static func accumulation(cornerWeight w: Int) -> UInt16 {
        UInt16(truncatingIfNeeded: FixedPoint.round(w &* SlicePaster.accumulationMultiplier))
    }

    @inline(__always)
    static func toDouble(_ w: Int) -> Double { FixedPoint.toDouble(w) }

    /// PLUS's fixed-point MEAN: the previous accumulation as a weight (acc / 256, exact), the
    /// weighted mean through `fixed` division, the new accumulation rounded.
    @inline(__always)
    static func mean<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int) -> Int {
        let threshold = SlicePaster.accumulationThreshold, maximum = SlicePaster.accumulationMaximum
        let a = Int(acc[i])
        let r = a &* 64  // fixed(acc / 256.0), exact
        let sum = w &+ r
        out[i] = V.meanLinearFixed(weight: w, previous: r, sum: sum, input: value, output: out[i])
        let newA = sum &* SlicePaster.accumulationMultiplier
        if newA < maximum << 14 {
            acc[i] = UInt16(truncatingIfNeeded: FixedPoint.round(newA))
            return newA > threshold << 14 && a <= threshold ? 1 : 0
        }
        acc[i] = UInt16(maximum)
        return a <= threshold ? 1 : 0
    }
}
