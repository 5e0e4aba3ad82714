import Imaging

/// The paste kernels of the common case, PLUS's default: FULL optimization (14-bit fixed
/// point), 8-bit voxels, no importance mask, no pixel rejection, LATEST / MEAN / MAXIMUM.
///
/// Same voxel updates, in the same order and with the same arithmetic as the generic row walker
/// (`SlicePaster.walk`), so the output is bit-identical to it (and to IGSIO), but organised for
/// speed. Nearest neighbour: along a row segment the pixel position moves in a straight line, so
/// each voxel's pixels form one unbroken run (about 4 pixels per voxel at 0.08 mm pixels and
/// 0.3 mm voxels). A run is carried in registers: the voxel is loaded at the run's first pixel
/// and stored after its last, instead of every pixel waiting for the previous pixel's store.
/// Linear: a lean per-pixel loop (see `linear`); MEAN holds the cell in registers
/// (`linearMean`).
///
/// Nearest-neighbour MEAN divides by the new accumulation (acc + 256, acc a multiple of 256:
/// `(v + o * n) / (n + 1)` exactly, with n = acc / 256); the division is replaced by an exact
/// multiplication with a reciprocal from `ByteMeanReciprocals`.
enum FixedPointByteKernels {
    /// Pastes when the case is the common one; nil otherwise (the generic walker does it).
    static func paste<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                     _ t: PasteTarget<V>, _ z: ClosedRange<Int>) -> PasteCounts? {
        guard t.fixedPoint, imp == nil, t.rejectBelow == nil, V.self == UInt8.self,
              let f = f as? PreparedFrame<UInt8>, let t = t as? PasteTarget<UInt8> else { return nil }
        let p = UnsafeRawPointer(pixels).assumingMemoryBound(to: UInt8.self)
        switch (t.interpolation, t.compounding) {
        case (.nearestNeighbor, .mean):
            return ByteMeanReciprocals.table.withUnsafeBufferPointer { r in
                nearest(f, p, t, z, NearestMeanRun(reciprocals: r.baseAddress!))
            }
        case (.nearestNeighbor, .maximum): return nearest(f, p, t, z, NearestMaximumRun())
        case (.nearestNeighbor, .latest): return nearest(f, p, t, z, NearestLatestRun())
        case (.linear, .mean): return linearMean(f, p, t, z)
        case (.linear, .maximum): return linear(f, p, t, z, LinearReplacingCorner<MaximumCompounding>.self)
        case (.linear, .latest): return linear(f, p, t, z, LinearReplacingCorner<LatestCompounding>.self)
        default: return nil
        }
    }

    /// Nearest neighbour: every pixel of every row segment in the slab, voxel runs in registers.
    @inline(__always)
    private static func nearest<R: NearestRun>(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                               _ z: ClosedRange<Int>, _ rule: R) -> PasteCounts {
        var counts = PasteCounts()
        let step = f.mapping.xAxisFixed
        let strideY = t.dimensions.x, strideZ = t.dimensions.x * t.dimensions.y
        let half = FixedPoint.half
        let out = t.voxels, acc = t.accumulation
        var overflow = 0
        forEachSegment(f, pixels, t, z, linear: false) { c, pixel, count in
            // Positions plus one half: the nearest voxel is then a plain shift.
            var px = c.x &+ half, py = c.y &+ half, pz = c.z &+ half
            var current = (px >> 14) &+ (py >> 14) &* strideY &+ (pz >> 14) &* strideZ
            var state = rule.load(out, acc, current)
            var pixel = pixel
            let end = pixel + count
            repeat {
                let i = (px >> 14) &+ (py >> 14) &* strideY &+ (pz >> 14) &* strideZ
                px &+= step.x; py &+= step.y; pz &+= step.z
                if i != current {
                    rule.store(state, out, acc, current)
                    current = i
                    state = rule.load(out, acc, i)
                }
                rule.add(Int(pixel.pointee), to: &state, overflow: &overflow)
                pixel += 1
            } while pixel != end
            rule.store(state, out, acc, current)
            counts.pixels &+= count
        }
        counts.voxelUpdates = counts.pixels
        counts.accumulationOverflows = overflow
        return counts
    }

    /// Calls `body` with the cursor, first pixel and pixel count of every mask segment of every
    /// row, trimmed to the pixels that may land in slab `z` (nearest or trilinear).
    @inline(__always)
    static func forEachSegment(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                                       _ z: ClosedRange<Int>, linear: Bool,
                                       _ body: (FixedPointArithmetic.Cursor, UnsafePointer<UInt8>, Int) -> Void) {
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
                body(a.cursor(row: row, x: s), rowPixels + s, e - s + 1)
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
        forEachSegment(f, pixels, t, z, linear: true) { c, pixel, count in
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

/// A compounding rule on one voxel held in registers for a run of nearest-neighbour pixels.
private protocol NearestRun {
    associatedtype State
    func load(_ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) -> State
    func add(_ v: Int, to s: inout State, overflow: inout Int)
    func store(_ s: State, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int)
}

/// LATEST: the run's last pixel, accumulation 256.
private struct NearestLatestRun: NearestRun {
    @inline(__always)
    func load(_ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) -> Int { 0 }
    @inline(__always)
    func add(_ v: Int, to s: inout Int, overflow: inout Int) { s = v }
    @inline(__always)
    func store(_ s: Int, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) {
        out[i] = UInt8(truncatingIfNeeded: s)
        acc[i] = UInt16(SlicePaster.accumulationMultiplier)
    }
}

/// MAXIMUM: the brightest of the voxel and the run, accumulation 256.
private struct NearestMaximumRun: NearestRun {
    @inline(__always)
    func load(_ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) -> Int { Int(out[i]) }
    @inline(__always)
    func add(_ v: Int, to s: inout Int, overflow: inout Int) { s = max(s, v) }
    @inline(__always)
    func store(_ s: Int, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) {
        out[i] = UInt8(truncatingIfNeeded: s)
        acc[i] = UInt16(SlicePaster.accumulationMultiplier)
    }
}

/// MEAN: PLUS's running mean `(v * 256 + o * acc) / (acc + 256)`, by reciprocal while the
/// accumulation is a multiple of 256 up to 253 * 256, else as the generic kernel does it.
///
/// The accumulation is held rotated by 8 bits and scaled to a byte offset into the reciprocals
/// (`key`): for a multiple of 256 the key is (acc / 256) * stride, and any other accumulation
/// gives a key of 256 * stride or more, so one comparison selects the reciprocal path, the
/// reciprocal is one load at the key, and the next pixel's key is key + stride.
private struct NearestMeanRun: NearestRun {
    let reciprocals: UnsafePointer<ByteMeanReciprocals.Entry>
    static let stride = MemoryLayout<ByteMeanReciprocals.Entry>.stride
    static let largestKey = (ByteMeanReciprocals.largestAccumulation >> 8) * stride

    struct State {
        var value: Int
        var key: Int
    }

    @inline(__always)
    static func key(_ a: Int) -> Int { Int(UInt16(truncatingIfNeeded: a).rotated8) &* stride }

    @inline(__always)
    static func accumulation(_ key: Int) -> Int { Int(UInt16(truncatingIfNeeded: key / stride).rotated8) }

    @inline(__always)
    func load(_ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) -> State {
        State(value: Int(out[i]), key: Self.key(Int(acc[i])))
    }

    @inline(__always)
    func add(_ v: Int, to s: inout State, overflow: inout Int) {
        if s.key <= Self.largestKey {
            let r = UnsafeRawPointer(reciprocals).load(fromByteOffset: s.key, as: ByteMeanReciprocals.Entry.self)
            s.value = (v &* r.multiplier &+ s.value &* r.scaledMultiplier) >> ByteMeanReciprocals.shift
            s.key &+= Self.stride
        } else {
            let m = ByteMeanReciprocals.mean(v, s.value, Self.accumulation(s.key), overflow: &overflow)
            s = State(value: m.value, key: Self.key(m.accumulation))
        }
    }

    @inline(__always)
    func store(_ s: State, _ out: SharedBuffer<UInt8>, _ acc: SharedBuffer<UInt16>, _ i: Int) {
        out[i] = UInt8(truncatingIfNeeded: s.value)
        acc[i] = UInt16(truncatingIfNeeded: Self.accumulation(s.key))
    }
}

private extension UInt16 {
    /// The two bytes swapped.
    var rotated8: UInt16 { (self << 8) | (self >> 8) }
}

/// Exact reciprocals for nearest-neighbour MEAN on 8-bit voxels.
///
/// With accumulation `acc = 256 n` (n <= 253: no overflow can follow), PLUS's
/// `(v * 256 + o * acc) / (acc + 256)` is `floor(X / d)` with `X = v + o * n <= 64770 < 2^16` and
/// `d = n + 1 <= 254`. With `m = ceil(2^24 / d)`, `m * d = 2^24 + e`, `0 <= e < d`, so
/// `X * m / 2^24 = X / d + X * e / (d * 2^24)`, and the added term is below `X / 2^24 < 1/256 < 1/d`:
/// it cannot carry `X / d` past the next integer, so `(X * m) >> 24 == X / d` for every X here
/// (also checked exhaustively by the tests).
enum ByteMeanReciprocals {
    struct Entry {
        /// m = ceil(2^24 / (n + 1)).
        let multiplier: Int
        /// n * m, so that `(v * m + o * n * m) >> 24` is one multiply on the voxel's chain.
        let scaledMultiplier: Int
    }

    static let shift = 24
    /// The largest accumulation (253 * 256) the reciprocals serve.
    static let largestAccumulation = 253 * 256

    static let table: [Entry] = (0...largestAccumulation / 256).map { n in
        let d = n + 1
        let m = ((1 << shift) + d - 1) / d
        return Entry(multiplier: m, scaledMultiplier: n * m)
    }

    /// PLUS's nearest-neighbour MEAN step for any accumulation, by integer division (as
    /// `MeanCompounding.weightedNearest`); past the threshold, the 1/256 blend.
    @inline(never)
    static func mean(_ v: Int, _ o: Int, _ a: Int, overflow: inout Int) -> (value: Int, accumulation: Int) {
        if a <= SlicePaster.accumulationThreshold {
            let w = SlicePaster.accumulationMultiplier
            let newA = a + w
            let value = UInt8.weightedMeanInteger(input: UInt8(truncatingIfNeeded: v), inputWeight: w,
                                                  output: UInt8(truncatingIfNeeded: o), accumulation: a, newAccumulation: newA)
            if newA > SlicePaster.accumulationThreshold { overflow &+= 1 }
            return (Int(value), min(newA, SlicePaster.accumulationMaximum))
        }
        let value = UInt8.overflowBlend(input: UInt8(truncatingIfNeeded: v), output: UInt8(truncatingIfNeeded: o))
        return (Int(value), a)
    }
}
