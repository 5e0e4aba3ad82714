import Imaging

extension SlicePaster {
    /// Rows walked together by `linearMeanDouble` (2: 3% more frames per CPU-second than 1 on
    /// the simulated sweep, 3 and 4 no more than 2: the walk is bound by instructions, not by the
    /// rows' dependency chains).
    static let linearMeanRows = 2

    /// Trilinear MEAN in double precision (PLUS's PARTIAL/NONE) of `f` into `t` within `a`'s
    /// slab: the generic walker's pixel updates (`LinearSplat` with `MeanCompounding`), made by
    /// several rows at once in a wavefront.
    ///
    /// Consecutive pixels of a row share most of their cell's voxels, so one row is one
    /// dependency chain through memory (load the accumulation, divide, round, store, and the next
    /// pixel loads it again). A row may run alongside the rows above it as long as it stays far
    /// enough behind them that no pixel still to come in an earlier row can reach a voxel it
    /// touches (`RowLags`): then every voxel still receives its updates in frame, row, column
    /// order, so the output is the generic walker's, while the rows' chains overlap.
    static func linearMeanDouble<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                _ a: DoubleArithmetic) -> PasteCounts {
        if let f8 = f as? PreparedFrame<UInt8>, let p8 = pixels as? UnsafePointer<UInt8>, let t8 = t as? PasteTarget<UInt8> {
            return linearMeanDouble(f8, p8, t8, a, RegularByteMean.self)
        }
        return linearMeanDouble(f, pixels, t, a, GenericMean.self)
    }

    private static func linearMeanDouble<V: PasteVoxel, P: LinearMeanPixel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                                            _ a: DoubleArithmetic, _: P.Type) -> PasteCounts where P.V == V {
        var counts = PasteCounts()
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return counts }
        let k = linearMeanRows
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        let lags = RowLags(f.mapping, width: f.width, rows: k)
        return withUnsafeTemporaryAllocation(of: RowWalk.self, capacity: k) { walks in
            var first = mask.firstRow
            while first <= mask.lastRow {
                let n = min(k, mask.lastRow - first + 1)
                var active = 0
                for j in 0..<n {
                    let w = RowWalk(row: first + j, a, mask, width: f.width)
                    walks.initializeElement(at: j, to: w)
                    if !w.done { active += 1 }
                }
                var pasted = 0, updates = 0, overflow = 0
                while active > 0 {
                    for j in 0..<n where !walks[j].done {
                        // Row j waits while an unfinished earlier row may still reach its voxels.
                        var free = true
                        for i in 0..<j where !walks[i].done && walks[i].x &- walks[j].x <= lags[j &- i] {
                            free = false
                            break
                        }
                        guard free else { continue }
                        let x = walks[j].x
                        let value = pixels[walks[j].pixelBase &+ x]
                        if !(reject.map { value.doubleValue < $0 } ?? false) {
                            let m = P.paste(a, DoubleArithmetic.Cursor(row: walks[j].origin, x: Double(x)), value, out, acc, &overflow)
                            if m > 0 { pasted &+= 1; updates &+= m }
                        }
                        if walks[j].advance() { active -= 1 }
                    }
                }
                counts.pixels += pasted
                counts.voxelUpdates += updates
                counts.accumulationOverflows += overflow
                walks.baseAddress!.deinitialize(count: n)
                first += n
            }
            return counts
        }
    }
}

/// One pixel's trilinear MEAN in double precision; returns the number of voxels updated.
protocol LinearMeanPixel {
    associatedtype V: PasteVoxel
    static func paste(_ a: DoubleArithmetic, _ cursor: DoubleArithmetic.Cursor, _ value: V, _ out: SharedBuffer<V>,
                      _ acc: SharedBuffer<UInt16>, _ overflow: inout Int) -> Int
}

/// Any voxel type: `LinearSplat` with `MeanCompounding`.
enum GenericMean<V: PasteVoxel>: LinearMeanPixel {
    @inline(__always)
    static func paste(_ a: DoubleArithmetic, _ cursor: DoubleArithmetic.Cursor, _ value: V, _ out: SharedBuffer<V>,
                      _ acc: SharedBuffer<UInt16>, _ overflow: inout Int) -> Int {
        LinearSplat.paste(a, cursor, value, 0, out, acc, MeanCompounding.self, &overflow)
    }
}

/// 8-bit voxels: a cell with all eight corners distinct, in the slab and of nonzero weight (every
/// fraction at least 1e-90 in magnitude, so no product of three weights underflows) takes a
/// shorter form of the same arithmetic; other cells take `GenericMean`.
///
/// Per corner PLUS computes r = acc / 256, sum = w + r, out = Round((w in + r out) / sum),
/// acc = stored(256 sum). Here the fractions lie in (-2^-17, 1) and their complements in
/// (2^-18, 1 + 2^-17) (PLUS's floor tolerance), so every weight w is within (-2^-16, 1.0001):
/// - the quotient is a weighted mean of 8-bit values with at most a tiny negative weight against
///   r >= 1/256 (or r = 0, where it is w in / w): far inside `roundBits`'s range, never NaN;
///   the low 8 bits of `roundBits` are those of the rounded value (the bias is a multiple of 2^16);
/// - 256 sum > -0.5, so the stored accumulation is round(min(256 sum, 65535)), which is never
///   negative: `stored`'s other branches cannot be taken.
enum RegularByteMean: LinearMeanPixel {
    @inline(__always)
    static func paste(_ a: DoubleArithmetic, _ cursor: DoubleArithmetic.Cursor, _ value: UInt8, _ out: SharedBuffer<UInt8>,
                      _ acc: SharedBuffer<UInt16>, _ overflow: inout Int) -> Int {
        guard let c = a.linearCell(cursor) else { return 0 }
        let tiny = 1e-90
        guard c.z0 >= a.slab.lowerBound && c.z1 <= a.slab.upperBound && abs(c.fx) >= tiny && abs(c.fy) >= tiny && abs(c.fz) >= tiny else {
            return GenericMean<UInt8>.paste(a, cursor, value, out, acc, &overflow)
        }
        let input = Double(value)
        let watch = UInt16(SlicePaster.accumulationThreshold - 256)
        // Everything scaled by 256, exactly (a power of two): W = 256 w, A = 256 r (the stored
        // accumulation), S = W + A = 256 sum (the new accumulation before rounding) and
        // (W in + A out) / S = (w in + r out) / sum, each rounding the same.
        @inline(__always)
        func corner(_ w256: Double, _ i: Int) {
            let old = acc[i]
            let a = Double(old)
            let s = w256 + a
            let numerator: Double = w256 * input + a * Double(out[i])
            out[i] = UInt8(truncatingIfNeeded: PlusRounding.roundBits(numerator / s))
            acc[i] = UInt16(truncatingIfNeeded: PlusRounding.roundBits(min(s, Double(SlicePaster.accumulationMaximum))))
            // 256 w < 257: only an accumulation in [threshold - 256, threshold] can cross the threshold.
            if old &- watch <= 256 && s > Double(SlicePaster.accumulationThreshold) { overflow &+= 1 }
        }
        let scale = Double(SlicePaster.accumulationMultiplier)
        let fx = c.fx * scale, rx = (1 - c.fx) * scale, ry = 1 - c.fy, rz = 1 - c.fz
        let ryfz = ry * c.fz, fyfz = c.fy * c.fz
        let b1 = c.base &+ c.dz
        corner(fx * fyfz, b1 &+ 1 &+ c.dy)
        corner(fx * ryfz, b1 &+ 1)
        corner(rx * fyfz, b1 &+ c.dy)
        corner(rx * ryfz, b1)
        let ryrz = ry * rz, fyrz = c.fy * rz
        let b0 = c.base
        corner(fx * fyrz, b0 &+ 1 &+ c.dy)
        corner(fx * ryrz, b0 &+ 1)
        corner(rx * fyrz, b0 &+ c.dy)
        corner(rx * ryrz, b0)
        return 8
    }
}

/// One row's pixels to paste, in order: its mask segments clipped to the slab's pixel range.
struct RowWalk {
    /// The row's voxel-space origin (`DoubleArithmetic.Cursor.row`).
    let origin: SIMD3<Double>
    /// Index of the row's first pixel in the frame.
    let pixelBase: Int
    /// The next pixel and the last of its segment.
    private(set) var x: Int
    private var end: Int
    /// The second segment, still to walk (empty when start > end).
    private var nextStart: Int, nextEnd: Int
    private(set) var done: Bool

    init(row: Int, _ a: DoubleArithmetic, _ mask: PixelMask, width: Int) {
        origin = a.cursor(row: row, x: 0).row
        pixelBase = row * width
        let (t0, t1) = a.linearRange(row: row, width: width)
        let (s0, e0) = mask.segment(0, row: row), (s1, e1) = mask.segment(1, row: row)
        var first = (max(s0, t0), min(e0, t1)), second = (max(s1, t0), min(e1, t1))
        if first.0 > first.1 { first = second; second = (1, 0) }
        // PixelMask's second segment lies right of its first: x only grows along the walk.
        assert(second.0 > second.1 || first.1 < second.0, "row \(row): mask segments out of order")
        x = first.0; end = first.1
        nextStart = second.0; nextEnd = second.1
        done = x > end
    }

    /// Moves to the next pixel; returns true when the row is finished.
    @inline(__always)
    mutating func advance() -> Bool {
        x &+= 1
        guard x > end else { return false }
        if nextStart <= nextEnd {
            x = nextStart; end = nextEnd
            nextStart = 1; nextEnd = 0
            return false
        }
        done = true
        return true
    }
}

/// How far (in pixels) a row must stay behind an earlier unfinished row of the same frame so
/// that no pixel of either can reach a voxel of the other: `lags[m]` for rows `m` apart.
///
/// A pixel at voxel position p updates voxels within (p - 1, p + 1 + 2^-17] on each axis, so
/// pixels whose positions differ by 2 or more on some axis share none. Pixels `d` columns and
/// `m` rows apart differ by `m * yAxis + d * xAxis`, at least `|d| |xAxis|inf - m |yAxis|inf` on
/// the largest axis of `xAxis`; positions are rounded sums of a few products, within a tiny
/// margin of those values.
/// Where no lag below the row width works (or the map is not finite), the lag is the width and
/// the rows run one after the other.
struct RowLags {
    private let lags: [Int]

    init(_ m: FrameMapping, width: Int, rows: Int) {
        let xInf = max(abs(m.xAxis.x), abs(m.xAxis.y), abs(m.xAxis.z))
        let yInf = max(abs(m.yAxis.x), abs(m.yAxis.y), abs(m.yAxis.z))
        let oInf = max(abs(m.origin.x), abs(m.origin.y), abs(m.origin.z))
        let margin = 0.01 + 1e-9 * (oInf + Double(width + rows) * (xInf + yInf))
        var lags = [Int](repeating: width, count: max(rows, 1))
        for k in 1..<max(rows, 1) {
            let lag = (2 + margin + Double(k) * yInf) / xInf
            // NaN and infinite lags fail the test and stay at the width.
            if lag.isFinite && lag < Double(width) { lags[k] = Int(lag) + 1 }
        }
        self.lags = lags
    }

    @inline(__always)
    subscript(k: Int) -> Int { lags[k] }
}
