import Imaging

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

    /// Trilinear MEAN in double precision into 8-bit voxels, the cell held in registers: the
    /// same voxel updates as `walk` with `LinearSplat` and `MeanCompounding`, bit for bit; nil
    /// for absurdly large grids and maps with components below 2^-100 (but 0).
    ///
    /// Consecutive pixels of a row mostly fall in the same grid cell (about 4 pixels per cell on
    /// a 0.08 mm frame into a 0.3 mm grid). While the row stays in a regular cell (all eight
    /// corners distinct, nonzero fractions, in the grid and both layers in the slab) its eight
    /// voxels' values and accumulations are held as doubles in four-lane vectors, updated per
    /// pixel without loads, conversions or stores, and written back once when the row leaves
    /// the cell. Pixels in other cells take `GenericMean` (after the held cell is written back).
    /// One row at a time: a voxel's updates stay in frame, row, column order.
    ///
    /// Per corner PLUS computes r = acc / 256, sum = w + r, out = Round((w in + r out) / sum),
    /// acc = stored(256 sum). Here everything is scaled by 256, exactly (a power of two, and no
    /// weight is subnormal: without tiny map components every nonzero fraction is at least
    /// 2^-210, `linearDouble`'s argument): W = 256 w, A = acc, S = W + A = 256 sum and
    /// (W in + A out) / S = (w in + r out) / sum, each rounding the same. The fractions lie in
    /// (-2^-17, 1) and their complements in (2^-18, 1 + 2^-17) (PLUS's floor tolerance), so
    /// every weight w is within (-2^-16, 1.0001):
    /// - the quotient is a weighted mean of 8-bit values with at most a tiny negative weight
    ///   against A >= 1 (or A = 0, where it is W in / W): far inside `roundBits`'s range, never
    ///   NaN; the held value is the rounded value's low 8 bits (what the UInt8 store keeps);
    /// - S > -0.5, so the stored accumulation is round(min(S, 65535)), never negative:
    ///   `stored`'s other branches cannot be taken.
    private static func linearMeanHeld(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                       _ a: DoubleArithmetic) -> PasteCounts? {
        let d = t.dimensions
        // The cell corner is `PlusRounding.floor` by bits (`HeldCellPosition`).
        guard d.x < 1 << 30, d.y < 1 << 30, d.z < 1 << 30, !hasTinyComponents(f.mapping) else { return nil }
        var counts = PasteCounts()
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return counts }
        let out = t.voxels, acc = t.accumulation
        var cell = HeldMeanCell(out: out, acc: acc, dimensions: d, slab: a.slab)
        var held = HeldCorners()
        let reject = t.rejectBelow ?? -.infinity
        let axis = SIMD4(f.mapping.xAxis, 0)
        let scale = Double(accumulationMultiplier)
        var overflow = 0
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = a.linearRange(row: row, width: f.width)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            let rowOrigin = a.cursor(row: row, x: 0).row
            let origin = SIMD4(rowOrigin, 0)
            for k in 0..<2 {
                let (s0, e0) = mask.segment(k, row: row)
                let s = max(s0, t0), e = min(e0, t1)
                guard s <= e else { continue }
                var pasted = 0, updates = 0
                for x in s...e {
                    let pixel = rowPixels[x]
                    let value = Double(pixel)
                    if value < reject { continue }
                    let position = HeldCellPosition(origin + Double(x) * axis)
                    if !cell.holds(position.key) && !cell.move(to: position.key, position.sum, &held) {
                        // Not a regular cell (the held one is written back): the exact generic form.
                        let n = GenericMean<UInt8>.paste(a, DoubleArithmetic.Cursor(row: rowOrigin, x: Double(x)), pixel, out, acc, &overflow)
                        if n > 0 { pasted &+= 1; updates &+= n }
                        continue
                    }
                    // The y-z products times 256 fx (the x + 1 corners) and 256 rx: the generic
                    // products fx * (fy * fz) scaled exactly.
                    let fraction = position.fraction
                    let q = position.yzWeights
                    let check = held.quiet <= 0
                    held.quiet &-= 1
                    HeldCorners.mean(&held.farOut, &held.farAcc, (fraction.x * scale) * q, value, check, &overflow)
                    HeldCorners.mean(&held.nearOut, &held.nearAcc, ((1 - fraction.x) * scale) * q, value, check, &overflow)
                    pasted &+= 1
                    updates &+= 8
                }
                counts.pixels += pasted
                counts.voxelUpdates += updates
            }
        }
        cell.flush(held)
        counts.accumulationOverflows += overflow
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

/// The eight voxels of the held cell as doubles: values (`farOut`, `nearOut`) and
/// accumulations (`farAcc`, `nearAcc`), `far` the x + 1 corners, `near` the x corners, lanes
/// [z + 1 and y + 1, z + 1, y + 1, the cell's own x, y, z layer and row] (`HeldCell`'s layout).
private struct HeldCorners {
    var farOut = SIMD4<Double>.zero, nearOut = SIMD4<Double>.zero
    var farAcc = SIMD4<Double>.zero, nearAcc = SIMD4<Double>.zero
    /// Pixels still to come in the cell that cannot take an accumulation past the overflow
    /// threshold (the overflow test and the cap at 65535 are skipped while positive).
    var quiet = 0

    /// PLUS's MEAN of a pixel of value `value` on four corners of weights `w` (times 256),
    /// counting threshold crossings into `overflow` when `check`.
    @inline(__always)
    static func mean(_ out: inout SIMD4<Double>, _ acc: inout SIMD4<Double>, _ w: SIMD4<Double>, _ value: Double, _ check: Bool,
                     _ overflow: inout Int) {
        let s = w + acc
        let n = w * value + acc * out
        // round(n / s)'s low 8 bits: the sum's bits 16-23 (`roundBits`'s low byte) under its
        // exponent, 2^36 plus them as a double.
        let rounded = unsafeBitCast(n / s + (PlusRounding.shift + 0.5), to: SIMD4<UInt64>.self)
        out = unsafeBitCast(rounded & 0x7FF0_0000_00FF_0000, to: SIMD4<Double>.self) - 0x1p36
        // round(min(S, 65535)), S > -0.5: `roundBits` with the fraction bits cleared, as a
        // double; unchecked, S is below the threshold.
        var capped = s
        if check {
            let threshold = Double(SlicePaster.accumulationThreshold)
            let crossed = (s .> threshold) .& (acc .<= threshold)
            for lane in 0..<4 where crossed[lane] { overflow &+= 1 }
            let maximum = Double(SlicePaster.accumulationMaximum)
            capped = SIMD4(repeating: maximum).replacing(with: s, where: s .< maximum)
        }
        let sum = unsafeBitCast(capped + (PlusRounding.shift + 0.5), to: SIMD4<UInt64>.self)
        acc = unsafeBitCast(sum & ~0xFFFF, to: SIMD4<Double>.self) - PlusRounding.shift
    }
}

/// Where the held cell is: its key and first voxel, and the grid.
private struct HeldMeanCell {
    let out: SharedBuffer<UInt8>
    let acc: SharedBuffer<UInt16>
    let dimensions: SIMD3<Int>
    let strideY: Int
    let strideZ: Int
    let slab: ClosedRange<Int>
    /// The held cell's key (see the walker); all ones (no floor has that pattern) when none is held.
    private(set) var key = SIMD4<UInt64>(repeating: ~0)
    private var base = 0

    /// Whether `key` is the held cell's: compared as doubles (one comparison per two lanes),
    /// which is comparing bits here: a held key's lanes are finite and nonzero, and the key of
    /// none is NaN.
    @inline(__always)
    func holds(_ key: SIMD4<UInt64>) -> Bool {
        all(unsafeBitCast(key, to: SIMD4<Double>.self) .== unsafeBitCast(self.key, to: SIMD4<Double>.self))
    }

    /// Whether a cell is held.
    var holding: Bool { key != SIMD4(repeating: ~0) }

    init(out: SharedBuffer<UInt8>, acc: SharedBuffer<UInt16>, dimensions: SIMD3<Int>, slab: ClosedRange<Int>) {
        self.out = out
        self.acc = acc
        self.dimensions = dimensions
        strideY = dimensions.x
        strideZ = dimensions.x * dimensions.y
        self.slab = slab
    }

    /// The held cell's voxels, far (x + 1) and near.
    @inline(__always)
    private func voxels(_ b: Int) -> (far: SIMD4<Int>, near: SIMD4<Int>) {
        let b1 = b &+ strideZ
        let far = SIMD4(b1 &+ 1 &+ strideY, b1 &+ 1, b &+ 1 &+ strideY, b &+ 1)
        return (far, far &- 1)
    }

    /// Writes back the held cell from `held`, then holds the cell of `key` (floor sum bits
    /// `sum`), loading it into `held`, when it is regular: no zero fraction (bit 0 of the key's
    /// x, y, z lanes), wholly in the grid and both layers in the slab. False, holding none,
    /// otherwise.
    @inline(__always)
    mutating func move(to key: SIMD4<UInt64>, _ sum: SIMD4<UInt64>, _ held: inout HeldCorners) -> Bool {
        flush(held)
        let corner = SIMD4<Int>(truncatingIfNeeded: sum &>> 16) &- PlusRounding.roundBitsBias
        let x0 = corner.x, y0 = corner.y, z0 = corner.z
        // x0 >= 0 && x0 + 1 < d.x (as unsigned), the same for y and z; both layers in the slab.
        guard (key.x | key.y | key.z) & 1 == 0,
              UInt(bitPattern: x0) < UInt(bitPattern: dimensions.x &- 1), UInt(bitPattern: y0) < UInt(bitPattern: dimensions.y &- 1),
              UInt(bitPattern: z0) < UInt(bitPattern: dimensions.z &- 1), z0 >= slab.lowerBound, z0 < slab.upperBound else { return false }
        self.key = key
        base = x0 &+ y0 &* strideY &+ z0 &* strideZ
        let (far, near) = voxels(base)
        // A pixel adds less than 257 to an accumulation (256 w < 256.01, plus rounding), so in
        // the next (threshold - the largest) / 257 pixels every S stays at most the threshold:
        // none crosses it nor reaches 65535.
        let threshold = SlicePaster.accumulationThreshold
        var top = 0
        for lane in 0..<4 {
            let af = Int(acc[far[lane]]), an = Int(acc[near[lane]])
            held.farOut[lane] = Double(out[far[lane]])
            held.farAcc[lane] = Double(af)
            held.nearOut[lane] = Double(out[near[lane]])
            held.nearAcc[lane] = Double(an)
            top = max(top, af, an)
        }
        held.quiet = (threshold &- top) / 257
        return true
    }

    /// Writes the held cell back from `held` (integers below 2^16: the low bits of x + 2^52).
    @inline(__always)
    mutating func flush(_ held: HeldCorners) {
        guard holding else { return }
        let (far, near) = voxels(base)
        let fo = unsafeBitCast(held.farOut + 0x1p52, to: SIMD4<UInt64>.self)
        let fa = unsafeBitCast(held.farAcc + 0x1p52, to: SIMD4<UInt64>.self)
        let no = unsafeBitCast(held.nearOut + 0x1p52, to: SIMD4<UInt64>.self)
        let na = unsafeBitCast(held.nearAcc + 0x1p52, to: SIMD4<UInt64>.self)
        for lane in 0..<4 {
            out[far[lane]] = UInt8(truncatingIfNeeded: fo[lane])
            acc[far[lane]] = UInt16(truncatingIfNeeded: fa[lane])
            out[near[lane]] = UInt8(truncatingIfNeeded: no[lane])
            acc[near[lane]] = UInt16(truncatingIfNeeded: na[lane])
        }
        key = SIMD4(repeating: ~0)
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
