import Imaging

/// The paste kernels of the common case, PLUS's default: FULL optimization (14-bit fixed
/// point), 8-bit voxels, no importance mask, no pixel rejection, LATEST / MEAN / MAXIMUM.
///
/// Same voxel updates, in the same order and with the same arithmetic as the generic row walker
/// (`SlicePaster.walk`), so the output is bit-identical to it (and to IGSIO), but organised for
/// speed. Nearest neighbour: along a row segment the pixel position moves in a straight line, so
/// each voxel's pixels form one unbroken run (about 4 pixels per voxel at 0.08 mm pixels and
/// 0.3 mm voxels). The runs' ends are stepped exactly in integers (`FixedPointArithmetic.RunAxis`)
/// instead of rounding every pixel, and each run is compounded in registers by the rules the
/// double-precision walker uses (`SlicePaster.pasteRuns`; MEAN by exact reciprocals).
/// Linear: a lean per-pixel loop (see `linear`); MEAN holds the cell in registers
/// (`linearMean`).
enum FixedPointByteKernels {
    /// Pastes when the case is the common one; nil otherwise (the generic walker does it).
    static func paste<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                     _ t: PasteTarget<V>, _ z: ClosedRange<Int>) -> PasteCounts? {
        guard t.fixedPoint, imp == nil, t.rejectBelow == nil, V.self == UInt8.self,
              let f = f as? PreparedFrame<UInt8>, let t = t as? PasteTarget<UInt8> else { return nil }
        let p = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
        switch (t.interpolation, t.compounding) {
        case (.nearestNeighbor, .mean): return nearest(f, p, t, z, HeldMean.self)
        case (.nearestNeighbor, .maximum): return nearest(f, p, t, z, HeldMaximum.self)
        case (.nearestNeighbor, .latest): return nearest(f, p, t, z, HeldLatest.self)
        case (.linear, .mean): return linearMean(f, p, t, z)
        case (.linear, .maximum): return linear(f, p, t, z, LinearReplacingCorner<MaximumCompounding>.self)
        case (.linear, .latest): return linear(f, p, t, z, LinearReplacingCorner<LatestCompounding>.self)
        default: return nil
        }
    }

    /// Nearest neighbour: along each row segment the pixels that share a voxel form a run
    /// (`FixedPointArithmetic.RunAxis`), compounded into it at once with the rules PARTIAL and
    /// NONE use (`SlicePaster.pasteRuns`, `HeldNearestRule`): the positions differ, the
    /// compounding is the same.
    @inline(__always)
    private static func nearest<R: HeldNearestRule>(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                                    _ z: ClosedRange<Int>, _: R.Type) -> PasteCounts {
        var counts = PasteCounts()
        let out = t.voxels, acc = t.accumulation
        var overflow = 0
        SlicePaster.withReciprocals { reciprocals in
            forEachSegment(f, pixels, t, z, linear: false) { a, c, rowPixels, s, e in
                var (fast, a1, a2) = a.runAxes(c, first: s)
                overflow &+= SlicePaster.pasteRuns(&fast, &a1, &a2, s, e, out, acc, rowPixels, f.width, R.self, reciprocals)
                counts.pixels &+= e &- s &+ 1
            }
        }
        counts.voxelUpdates = counts.pixels
        counts.accumulationOverflows = overflow
        return counts
    }

    /// Calls `body` with the arithmetic, the cursor at the first pixel, the row's pixels and the
    /// first and last pixel of every mask segment of every row, trimmed to the pixels that may
    /// land in slab `z` (nearest or trilinear).
    @inline(__always)
    static func forEachSegment(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                       _ z: ClosedRange<Int>, linear: Bool,
                                       _ body: (FixedPointArithmetic, FixedPointArithmetic.Cursor, UnsafePointer<UInt8>, Int, Int) -> Void) {
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return }
        let a = FixedPointArithmetic(mapping: f.mapping, dimensions: t.dimensions, slab: z)
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = linear ? a.linearRange(row: row, width: f.width) : a.nearestRange(row: row, width: f.width)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            mask.forEachSegment(row: row) { s, e in
                let s = max(s, t0), e = min(e, t1)
                guard s <= e else { return }
                body(a, a.cursor(row: row, x: s), rowPixels, s, e)
            }
        }
    }
}

extension FixedPointByteKernels {
    /// Trilinear splatting: per pixel the eight corner weights `wx * (wy * wz)` in PLUS's
    /// rounding, zero weights skipped. Row segments whose cells all lie in the slab (all of
    /// them with one thread) run without the per-pixel layer test.
    @inline(__always)
    static func linear<R: LinearCorner>(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                                    _ z: ClosedRange<Int>, _: R.Type) -> PasteCounts {
        var counts = PasteCounts()
        let step = f.mapping.xAxisFixed
        let strideY = t.dimensions.x, strideZ = t.dimensions.x * t.dimensions.y
        let out = t.voxels, acc = t.accumulation
        var overflow = 0
        forEachSegment(f, pixels, t, z, linear: true) { _, c, rowPixels, s, e in
            let pixel = rowPixels + s, count = e &- s &+ 1
            let zLast = c.z &+ (count &- 1) &* step.z
            let inSlab = min(c.z, zLast) >> 14 >= z.lowerBound && (max(c.z, zLast) >> 14) &+ 1 <= z.upperBound
            let n = inSlab
                ? linearSegment(pixel, count, c, step, strideY, strideZ, nil, out, acc, R.self, &overflow)
                : linearSegment(pixel, count, c, step, strideY, strideZ, z, out, acc, R.self, &overflow)
            counts.pixels &+= n.pixels
            counts.voxelUpdates &+= n.updates
        }
        counts.accumulationOverflows = overflow
        return counts
    }

    /// One row segment of `count` pixels from `pixel`; `slab` nil when every cell is in it.
    @inline(__always)
    static func linearSegment<R: LinearCorner>(_ pixel: UnsafePointer<UInt8>, _ count: Int, _ c: FixedPointArithmetic.Cursor,
                                                       _ step: SIMD3<Int>, _ strideY: Int, _ strideZ: Int, _ slab: ClosedRange<Int>?,
                                                       _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _: R.Type,
                                                       _ overflow: inout Int) -> (pixels: Int, updates: Int) {
        let one = FixedPoint.one, fraction = FixedPoint.fractionMask
        var px = c.x, py = c.y, pz = c.z
        var pixel = pixel
        let end = pixel + count
        var pasted = 0, updates = 0
        repeat {
            let fx = px & fraction, fy = py & fraction, fz = pz & fraction
            let z0 = pz >> 14
            let b = (px >> 14) &+ (py >> 14) &* strideY &+ z0 &* strideZ
            px &+= step.x; py &+= step.y; pz &+= step.z
            let v = Int(pixel.pointee)
            pixel += 1
            let rx = one &- fx, ry = one &- fy
            var near = one &- fz, far = fz
            if let slab {
                // The layers outside the slab take no weight (another slab pastes them).
                if z0 < slab.lowerBound { near = 0 }
                if z0 &+ 1 > slab.upperBound { far = 0 }
            }
            let ryNear = FixedPoint.multiply(ry, near), fyNear = FixedPoint.multiply(fy, near)
            let ryFar = FixedPoint.multiply(ry, far), fyFar = FixedPoint.multiply(fy, far)
            var n = 0
            @inline(__always)
            func corner(_ w: Int, _ i: Int) {
                guard w != 0 else { return }
                R.add(v, w, out, acc, i, &overflow)
                n &+= 1
            }
            let bz = b &+ strideZ
            corner(FixedPoint.multiply(fx, fyFar), bz &+ 1 &+ strideY)
            corner(FixedPoint.multiply(fx, ryFar), bz &+ 1)
            corner(FixedPoint.multiply(rx, fyFar), bz &+ strideY)
            corner(FixedPoint.multiply(rx, ryFar), bz)
            corner(FixedPoint.multiply(fx, fyNear), b &+ 1 &+ strideY)
            corner(FixedPoint.multiply(fx, ryNear), b &+ 1)
            corner(FixedPoint.multiply(rx, fyNear), b &+ strideY)
            corner(FixedPoint.multiply(rx, ryNear), b)
            if n > 0 { pasted &+= 1; updates &+= n }
        } while pixel != end
        return (pasted, updates)
    }
}

/// A compounding rule for one trilinear corner of weight `w` (fixed point, nonzero).
protocol LinearCorner {
    static func add(_ v: Int, _ w: Int, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ overflow: inout Int)
}

/// LATEST and MAXIMUM: corners of weight >= 1/8 that `C` lets replace the voxel.
private enum LinearReplacingCorner<C: ReplacingCompounding>: LinearCorner {
    @inline(__always)
    static func add(_ v: Int, _ w: Int, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ overflow: inout Int) {
        let value = UInt8(truncatingIfNeeded: v)
        if w >= FixedPoint.one / 8 && C.replaces(out[i], with: value) {
            out[i] = value
            acc[i] = FixedPointArithmetic.accumulation(cornerWeight: w)
        }
    }
}

/// MEAN: PLUS's fixed-point running mean. Below 65024 the new accumulation (acc + w * 256,
/// rounded: acc + (w + 32) >> 6 as w <= 2^14) cannot pass the threshold or the maximum, so the
/// overflow bookkeeping of `FixedPointArithmetic.mean` is left to the rare accumulations above.
enum LinearMeanCorner: LinearCorner {
    @inline(__always)
    static func add(_ v: Int, _ w: Int, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ overflow: inout Int) {
        let a = Int(acc[i])
        guard a <= SlicePaster.accumulationThreshold - SlicePaster.accumulationMultiplier else {
            overflow &+= FixedPointArithmetic.mean(out, acc, i, UInt8(truncatingIfNeeded: v), w)
            return
        }
        let r = a &* 64  // fixed(acc / 256.0), exact
        out[i] = UInt8.meanLinearFixed(weight: w, previous: r, sum: w &+ r, input: UInt8(truncatingIfNeeded: v), output: out[i])
        acc[i] = UInt16(truncatingIfNeeded: a &+ ((w &+ 32) >> 6))
    }
}
