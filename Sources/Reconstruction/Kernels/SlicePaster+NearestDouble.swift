import Imaging

extension SlicePaster {
    /// Nearest-neighbour LATEST, MEAN or MAXIMUM (`R`) in double precision of `f` into `t` within
    /// `a`'s slab. Runs of consecutive pixels that round to the same voxel update it in
    /// registers and store it once, so each update no longer waits for the previous store.
    static func nearestDouble<V: PasteVoxel, R: HeldNearestRule>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                                                 _ a: DoubleArithmetic, _ r: R.Type) -> PasteCounts {
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 256) { reciprocals in
            for k in 0..<256 { reciprocals.initializeElement(at: k, to: (1 << 32) / UInt64(k + 1) + 1) }
            return nearestDouble(f, pixels, t, a, r, UnsafePointer(reciprocals.baseAddress!))
        }
    }

    private static func nearestDouble<V: PasteVoxel, R: HeldNearestRule>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
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

/// A nearest-neighbour compounding rule applied to a voxel held in registers (value and
/// accumulation), as `Compounding.nearest` applies it in memory; returns 1 when the
/// accumulation crossed PLUS's overflow threshold.
protocol HeldNearestRule {
    static func update<V: PasteVoxel>(_ out: inout V, _ acc: inout Int, _ value: V, _ reciprocals: UnsafePointer<UInt64>) -> Int
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

/// MAXIMUM: the brighter value stays (written without a branch).
enum HeldMaximum: HeldNearestRule {
    @inline(__always)
    static func update<V: PasteVoxel>(_ out: inout V, _ acc: inout Int, _ value: V, _ reciprocals: UnsafePointer<UInt64>) -> Int {
        out = out < value ? value : out
        acc = SlicePaster.accumulationMultiplier
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
}
