import Imaging
import PasteKernels

extension SlicePaster {
    /// Rows walked together by the wavefront walker (2: 3% more frames per CPU-second than 1 on
    /// the simulated sweep, 3 and 4 no more than 2: the walk is bound by instructions, not by the
    /// rows' dependency chains).
    static let linearMeanRows = 2

    /// Trilinear MEAN in double precision (PLUS's PARTIAL/NONE) of `f` into `t` within `a`'s
    /// slab: the generic walker's pixel updates (`LinearSplat` with `MeanCompounding`). 8-bit
    /// voxels take `linearMeanHeld`; other types (and 8-bit frames it declines) a wavefront of
    /// rows.
    static func linearMeanDouble<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                _ a: DoubleArithmetic) -> PasteCounts {
        if let f8 = f as? PreparedFrame<UInt8>, let t8 = t as? PasteTarget<UInt8> {
            let p8 = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
            if let counts = linearMeanHeld(f8, p8, t8, a) { return counts }
        }
        return linearMeanWavefront(f, pixels, t, a)
    }

    /// Trilinear MEAN in double precision into 8-bit voxels, the cell held in registers
    /// (`HeldMeanWalker` of the target's kernel set): the same voxel updates as `walk` with
    /// `LinearSplat` and `MeanCompounding`, bit for bit; pixels outside regular cells take
    /// `GenericMean`. Nil for absurdly large grids and maps with components below 2^-100 (but 0).
    private static func linearMeanHeld(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                       _ a: DoubleArithmetic) -> PasteCounts? {
        guard !hasTinyComponents(f.mapping) else { return nil }
        return linearMeanHeld(t.kernels.meanWalker, f, pixels, t, a)
    }

    private static func linearMeanHeld<W: HeldMeanWalking>(_: W.Type, _ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>,
                                                           _ t: PasteTarget<UInt8>, _ a: DoubleArithmetic) -> PasteCounts? {
        guard var walker = W(voxels: t.voxels, accumulation: t.accumulation, dimensions: t.dimensions, slab: a.slab,
                             xAxis: f.mapping.xAxis, rejectBelow: t.rejectBelow) else { return nil }
        var counts = PasteCounts()
        var overflow = 0
        let out = t.voxels, acc = t.accumulation
        forEachLinearSegment(f, pixels, a) { row, origin, first, last in
            let n = walker.paste(row, origin: origin, first, last) { x, pixel in
                GenericMean<UInt8>.paste(a, DoubleArithmetic.Cursor(row: origin, x: Double(x)), pixel, out, acc, &overflow)
            }
            counts.pixels += n.pixels
            counts.voxelUpdates += n.updates
        }
        walker.finish()
        counts.accumulationOverflows += overflow + walker.overflows
        return counts
    }

    /// Several rows at once in a wavefront, each pixel by `GenericMean`.
    ///
    /// Consecutive pixels of a row share most of their cell's voxels, so one row is one
    /// dependency chain through memory (load the accumulation, divide, round, store, and the next
    /// pixel loads it again). A row may run alongside the rows above it as long as it stays far
    /// enough behind them that no pixel still to come in an earlier row can reach a voxel it
    /// touches (`RowLags`): then every voxel still receives its updates in frame, row, column
    /// order, so the output is the generic walker's, while the rows' chains overlap.
    private static func linearMeanWavefront<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                           _ a: DoubleArithmetic) -> PasteCounts {
        typealias P = GenericMean<V>
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

/// One pixel's trilinear MEAN in double precision, any voxel type: `LinearSplat` with
/// `MeanCompounding`; returns the number of voxels updated.
enum GenericMean<V: PasteVoxel> {
    @inline(__always)
    static func paste(_ a: DoubleArithmetic, _ cursor: DoubleArithmetic.Cursor, _ value: V, _ out: SharedBuffer<V>,
                      _ acc: SharedBuffer<UInt16>, _ overflow: inout Int) -> Int {
        LinearSplat.paste(a, cursor, value, 0, out, acc, MeanCompounding.self, &overflow)
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
