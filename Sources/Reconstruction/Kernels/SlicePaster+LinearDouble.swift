import Imaging
import PasteKernels

extension SlicePaster {
    /// Trilinear LATEST or MAXIMUM in double precision (PARTIAL / NONE) into 8-bit voxels, the
    /// cell held in registers (`HeldReplaceWalker` of the target's kernel set); nil for other
    /// voxel types, other compounding rules, absurdly large grids and maps with components below
    /// 2^-100 (but 0): the generic walker pastes those.
    ///
    /// The same voxel updates as `walk` with `LinearSplat` and `LatestCompounding` /
    /// `MaximumCompounding`, so the output is bit-identical.
    static func linearDouble<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ t: PasteTarget<V>,
                                            _ a: DoubleArithmetic) -> PasteCounts? {
        guard V.self == UInt8.self, let f = f as? PreparedFrame<UInt8>, let t = t as? PasteTarget<UInt8> else { return nil }
        guard !hasTinyComponents(f.mapping) else { return nil }
        let maximum: Bool
        switch t.compounding {
        case .latest: maximum = false
        case .maximum: maximum = true
        default: return nil
        }
        let p = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
        return linearDouble(t.kernels.replaceWalker, maximum, f, p, t, a)
    }

    /// Whether the map has a component below 2^-100 in magnitude (but 0). Without one every
    /// nonzero fraction is at least 2^-210 and no corner weight underflows to 0 (nor is
    /// subnormal): a corner's weight is nonzero exactly when its fractions are.
    static func hasTinyComponents(_ m: FrameMapping) -> Bool {
        for v in [m.origin, m.xAxis, m.yAxis] {
            for k in 0..<3 where v[k] != 0 && abs(v[k]) < 0x1p-100 { return true }
        }
        return false
    }

    private static func linearDouble<W: HeldReplaceWalking>(_: W.Type, _ maximum: Bool, _ f: PreparedFrame<UInt8>,
                                                            _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                                            _ a: DoubleArithmetic) -> PasteCounts? {
        guard var walker = W(maximum: maximum, voxels: t.voxels, accumulation: t.accumulation, dimensions: t.dimensions,
                             slab: a.slab, xAxis: f.mapping.xAxis, rejectBelow: t.rejectBelow) else { return nil }
        var counts = PasteCounts()
        forEachLinearSegment(f, pixels, a) { row, origin, first, last in
            let n = walker.paste(row, origin: origin, first, last)
            counts.pixels += n.pixels
            counts.voxelUpdates += n.updates
        }
        walker.finish()
        return counts
    }

    /// Calls `body` with each row segment of `f` that may reach `a`'s slab, in row and column
    /// order: the row's pixels, its origin in voxels (`DoubleArithmetic.Cursor.row`), and the
    /// segment's first and last pixel (the mask's segments clipped to `linearRange`).
    static func forEachLinearSegment(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ a: DoubleArithmetic,
                                     _ body: (UnsafePointer<UInt8>, SIMD3<Double>, Int, Int) -> Void) {
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return }
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = a.linearRange(row: row, width: f.width)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            let origin = a.cursor(row: row, x: 0).row
            for k in 0..<2 {
                let (s0, e0) = mask.segment(k, row: row)
                let s = max(s0, t0), e = min(e0, t1)
                if s <= e { body(rowPixels, origin, s, e) }
            }
        }
    }
}
