import Imaging
import PasteKernels

extension SlicePaster {
    /// Nearest-neighbour LATEST, MEAN or MAXIMUM (`R`) in double precision of `f` into `t` within
    /// `a`'s slab. Runs of consecutive pixels that round to the same voxel update it in
    /// registers and store it once, so each update no longer waits for the previous store; the
    /// runs are found without rounding every pixel (`nearestDoubleRuns`) unless pixels are
    /// rejected by value.
    static func nearestDouble<V: PasteVoxel, R: HeldNearestRule>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                                 _ a: DoubleArithmetic, _ r: R.Type) -> PasteCounts {
        withReciprocals { table in
            if t.rejectBelow == nil, let counts = nearestDoubleRuns(f, pixels, t, a, r, table) { return counts }
            return nearestDouble(f, pixels, t, a, r, table)
        }
    }

    /// Calls `body` with the MEAN rules' table: 2^32 / (k + 1) + 1 for k in 0..<256
    /// (`meanNearest`), then k times that (`HeldMean.paste`).
    static func withReciprocals<T>(_ body: (UnsafePointer<UInt64>) -> T) -> T {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 512) { reciprocals in
            for k in 0..<256 { reciprocals.initializeElement(at: k, to: (1 << 32) / UInt64(k + 1) + 1) }
            for k in 0..<256 { reciprocals.initializeElement(at: 256 + k, to: UInt64(k) &* reciprocals[k]) }
            return body(UnsafePointer(reciprocals.baseAddress!))
        }
    }

    /// The per-pixel walker: every pixel's voxel computed on its own (pixel rejection, and
    /// grids too large for `PlusRounding.roundBits`).
    static func nearestDouble<V: PasteVoxel, R: HeldNearestRule>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                                         _ a: DoubleArithmetic, _: R.Type,
                                                                         _ reciprocals: UnsafePointer<UInt64>) -> PasteCounts {
        var counts = PasteCounts()
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return counts }
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        // The voxel held in registers (-1: none), its value and accumulation.
        var held = -1, heldOut = V(clampingPixel: 0), heldAcc = 0
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = a.nearestRange(row: row, width: f.width)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            for k in 0..<2 {
                let (s0, e0) = mask.segment(k, row: row)
                let s = max(s0, t0), e = min(e0, t1)
                guard s <= e else { continue }
                var cursor = a.cursor(row: row, x: s)
                var pasted = 0, overflow = 0
                for x in s...e {
                    defer { a.advance(&cursor) }
                    let value = rowPixels[x]
                    if let reject, value.doubleValue < reject { continue }
                    guard let i = a.nearestVoxel(cursor) else { continue }
                    if i != held {
                        if held >= 0 { out[held] = heldOut; acc[held] = UInt16(heldAcc) }
                        held = i; heldOut = out[i]; heldAcc = Int(acc[i])
                    }
                    overflow &+= R.update(&heldOut, &heldAcc, value, reciprocals)
                    pasted &+= 1
                }
                counts.pixels += pasted
                counts.voxelUpdates += pasted
                counts.accumulationOverflows += overflow
            }
        }
        if held >= 0 { out[held] = heldOut; acc[held] = UInt16(heldAcc) }
        return counts
    }
}

extension SlicePaster {
    /// The run walker: along each row segment the pixels that round to one voxel form a run
    /// (`DoubleArithmetic.RunAxis`), found from where each axis's rounded coordinate next
    /// changes, and each run is compounded into its voxel at once (`pasteRuns`).
    /// Same voxels, values, order and counts as the per-pixel walker; nil when the grid is too
    /// large for run stepping. No pixel rejection here (every pixel of a segment is pasted).
    static func nearestDoubleRuns<V: PasteVoxel, R: HeldNearestRule>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                                     _ a: DoubleArithmetic, _: R.Type,
                                                                     _ reciprocals: UnsafePointer<UInt64>) -> PasteCounts? {
        var counts = PasteCounts()
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return counts }
        let out = t.voxels, acc = t.accumulation
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = a.nearestRange(row: row, width: f.width)
            if t0 > t1 { continue }
            guard let axes = a.runAxes(row: row) else { return nil }
            let rowPixels = pixels + row * f.width
            for k in 0..<2 {
                let (s0, e0) = mask.segment(k, row: row)
                let s = max(s0, t0), e = min(e0, t1)
                guard s <= e else { continue }
                // The fastest axis changes run by run; the other two seldom (often never).
                var (fast, a1, a2) = axes
                fast.start(first: s, last: e)
                a1.start(first: s, last: e)
                a2.start(first: s, last: e)
                let overflow = pasteRuns(&fast, &a1, &a2, s, e, out, acc, rowPixels, f.width, R.self, reciprocals)
                counts.pixels += e - s + 1
                counts.voxelUpdates += e - s + 1
                counts.accumulationOverflows += overflow
            }
        }
        return counts
    }
}

/// A nearest-neighbour compounding rule applied to a voxel held in registers (value and
/// accumulation), as `Compounding.nearest` applies it in memory; returns 1 when the
/// accumulation crossed PLUS's overflow threshold.
protocol HeldNearestRule {
    static func update<V: PasteVoxel>(_ out: inout V, _ acc: inout Int, _ value: V, _ reciprocals: UnsafePointer<UInt64>) -> Int
    /// Pixels `first..<end` of `pixels`, in order, into voxel `i`; returns the overflow count.
    /// Pixels below `readable` may be read (and ignored) past `end`.
    static func paste<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ pixels: UnsafePointer<V>,
                                     _ first: Int, _ end: Int, _ readable: Int, _ reciprocals: UnsafePointer<UInt64>) -> Int
}

extension HeldNearestRule {
    /// `update` pixel by pixel on the voxel held in registers, stored once.
    @inline(__always)
    static func paste<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ pixels: UnsafePointer<V>,
                                     _ first: Int, _ end: Int, _ readable: Int, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        var heldOut = out[i], heldAcc = Int(acc[i]), overflow = 0
        for x in first..<end { overflow &+= update(&heldOut, &heldAcc, pixels[x], reciprocals) }
        out[i] = heldOut
        // `update` keeps the accumulation within UInt16: it came from one and only grows up to
        // `accumulationMaximum`.
        acc[i] = UInt16(truncatingIfNeeded: heldAcc)
        return overflow
    }
}

/// MEAN: `MeanCompounding.weightedNearest` with weight 256.
enum HeldMean: HeldNearestRule {
    @inline(__always)
    static func update<V: PasteVoxel>(_ out: inout V, _ acc: inout Int, _ value: V, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        guard acc <= SlicePaster.accumulationThreshold else {
            out = V.overflowBlend(input: value, output: out)
            return 0
        }
        out = V.meanNearest(input: value, output: out, accumulation: acc, reciprocals: reciprocals)
        acc += SlicePaster.accumulationMultiplier
        guard acc > SlicePaster.accumulationThreshold else { return 0 }
        acc = min(acc, SlicePaster.accumulationMaximum)
        return 1
    }
}

extension HeldMean {
    /// 8-bit voxels with whole-pixel accumulations (256 k) take `UInt8.meanNearest`'s product
    /// split in two: `(in + k out) R_k` is `in R_k + out (k R_k)` (below 2^49, no wrap), so only
    /// one multiplication and an addition wait for the previous pixel's mean. The result is
    /// `meanNearest`'s (below 256, as `NearestMeanReciprocalTests` checks for every input,
    /// value and k). Everything else goes through `update`.
    @inline(__always)
    static func paste<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ pixels: UnsafePointer<V>,
                                     _ first: Int, _ end: Int, _ readable: Int, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        var x = first, overflow = 0
        var heldAcc = Int(acc[i])
        var heldOut = out[i]
        if V.self == UInt8.self {
            let bytes = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
            var o = UInt64(unsafeBitCast(heldOut, to: UInt8.self))
            // Four (or eight) pixels at a time without a branch on the run's exact length (a
            // mispredicted exit per run would stall the next run's independent chain): steps
            // past `end` compute and are not kept. No overflow within eight steps of here.
            while x < end && heldAcc & 255 == 0 && heldAcc <= SlicePaster.accumulationThreshold - 8 * 256 && x &+ 8 <= readable {
                let k = heldAcc >> 8, n = min(end &- x, 8)
                @inline(__always) func step(_ j: Int, _ o: UInt64) -> UInt64 {
                    (UInt64(bytes[x &+ j]) &* reciprocals[k &+ j] &+ o &* reciprocals[256 &+ k &+ j]) >> 32
                }
                let o1 = step(0, o), o2 = step(1, o1), o3 = step(2, o2), o4 = step(3, o3)
                // The mean after n pixels, chosen off the chain; runs of 5 to 8 take four more.
                if n > 4 {
                    let o5 = step(4, o4), o6 = step(5, o5), o7 = step(6, o6), o8 = step(7, o7)
                    o = n > 6 ? (n > 7 ? o8 : o7) : (n > 5 ? o6 : o5)
                } else {
                    o = n > 2 ? (n > 3 ? o4 : o3) : (n > 1 ? o2 : o1)
                }
                heldAcc &+= n &* SlicePaster.accumulationMultiplier
                x &+= n
            }
            while x < end && heldAcc <= SlicePaster.accumulationThreshold && heldAcc & 255 == 0 {
                let k = heldAcc >> 8
                o = (UInt64(bytes[x]) &* reciprocals[k] &+ o &* reciprocals[256 &+ k]) >> 32
                heldAcc &+= SlicePaster.accumulationMultiplier
                x &+= 1
                if heldAcc > SlicePaster.accumulationThreshold {
                    heldAcc = min(heldAcc, SlicePaster.accumulationMaximum)
                    overflow &+= 1
                }
            }
            heldOut = unsafeBitCast(UInt8(truncatingIfNeeded: o), to: V.self)
        }
        while x < end {
            overflow &+= update(&heldOut, &heldAcc, pixels[x], reciprocals)
            x &+= 1
        }
        out[i] = heldOut
        // Within UInt16: it came from one, the steps above stay at or below the threshold and
        // `update` clamps to `accumulationMaximum`.
        acc[i] = UInt16(truncatingIfNeeded: heldAcc)
        return overflow
    }
}

/// MAXIMUM: the brighter value stays (written without a branch).
enum HeldMaximum: HeldNearestRule {
    @inline(__always)
    static func update<V: PasteVoxel>(_ out: inout V, _ acc: inout Int, _ value: V, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        out = out < value ? value : out
        acc = SlicePaster.accumulationMultiplier
        return 0
    }
}

extension HeldMaximum {
    /// 8-bit voxels: the run's brightest pixel, eight at a time without a branch on the run's
    /// length (0 stands for pixels past `end`: it never wins), then the voxel's maximum.
    @inline(__always)
    static func paste<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ pixels: UnsafePointer<V>,
                                     _ first: Int, _ end: Int, _ readable: Int, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        var heldOut = out[i], heldAcc = 0, x = first
        if V.self == UInt8.self {
            let bytes = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
            var m = unsafeBitCast(heldOut, to: UInt8.self)
            while x < end && x &+ 8 <= readable {
                let n = min(end &- x, 8)
                // Eight pixels in one load, those past the run masked to 0.
                let word = UnsafeRawPointer(bytes + x).loadUnaligned(as: UInt64.self) & (UInt64.max >> (64 &- 8 &* UInt64(n)))
                m = max(m, unsafeBitCast(word, to: SIMD8<UInt8>.self).max())
                x &+= n
            }
            heldOut = unsafeBitCast(m, to: V.self)
        }
        while x < end {
            _ = update(&heldOut, &heldAcc, pixels[x], reciprocals)
            x &+= 1
        }
        out[i] = heldOut
        acc[i] = UInt16(SlicePaster.accumulationMultiplier)
        return 0
    }
}

/// LATEST: the pixel's value.
enum HeldLatest: HeldNearestRule {
    @inline(__always)
    static func update<V: PasteVoxel>(_ out: inout V, _ acc: inout Int, _ value: V, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        out = value
        acc = SlicePaster.accumulationMultiplier
        return 0
    }

    /// The run's last pixel wins.
    @inline(__always)
    static func paste<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ pixels: UnsafePointer<V>,
                                     _ first: Int, _ end: Int, _ readable: Int, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        out[i] = pixels[end &- 1]
        acc[i] = UInt16(SlicePaster.accumulationMultiplier)
        return 0
    }
}
