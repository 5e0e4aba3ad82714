import Imaging

/// A frame ready to be pasted: its pixels in the voxel type, the pixel-to-voxel map and the
/// mask of pasteable pixels.
struct PreparedFrame<V: PasteVoxel>: Sendable {
    let pixels: [V]
    let width: Int
    let height: Int
    let mapping: FrameMapping
    let mask: PixelMask
}

/// What the kernels need to know about the output and the rules.
struct PasteTarget<V: PasteVoxel>: Sendable {
    let voxels: SharedBuffer<V>
    let accumulation: SharedBuffer<UInt16>
    let dimensions: SIMD3<Int>
    let interpolation: ReconstructionSettings.Interpolation
    let compounding: ReconstructionSettings.CompoundingMode
    let fixedPoint: Bool
    /// Pixels below this value are skipped; nil = no rejection.
    let rejectBelow: Double?
    /// Importance mask (frame-sized), for IMPORTANCE_MASK compounding.
    let importance: [UInt8]?
}

/// Counts a paste pass reports.
struct PasteCounts: Sendable {
    /// Pixels whose value went into at least one voxel of the slab.
    var pixels = 0
    /// Voxel updates (1 per nearest-neighbour pixel, up to 8 per linear pixel).
    var voxelUpdates = 0
    /// Voxels that reached the accumulation limit (PLUS's overflow warning count).
    var accumulationOverflows = 0

    static func + (a: PasteCounts, b: PasteCounts) -> PasteCounts {
        PasteCounts(pixels: a.pixels + b.pixels, voxelUpdates: a.voxelUpdates + b.voxelUpdates,
                    accumulationOverflows: a.accumulationOverflows + b.accumulationOverflows)
    }
}

/// The splatting kernels. Each call pastes one frame's pixels into the voxels of one z-slab
/// (`zRange`) only, so workers owning disjoint slabs never touch the same voxel, and every voxel
/// sees its pixels in the same order (frame, row, column) whatever the slab split: the output is
/// identical for any number of threads.
enum SlicePaster {
    static let accumulationMultiplier = 256
    static let accumulationThreshold = 65279
    static let accumulationMaximum = 65535

    /// Pastes `frame` into the part of `target` with z in `zRange`.
    static func paste<V: PasteVoxel>(_ frame: PreparedFrame<V>, into target: PasteTarget<V>, zRange: ClosedRange<Int>) -> PasteCounts {
        frame.pixels.withUnsafeBufferPointer { pixels in
            if let mask = target.importance {
                return mask.withUnsafeBufferPointer { imp in
                    dispatch(frame, pixels.baseAddress!, imp.baseAddress, target, zRange)
                }
            }
            return dispatch(frame, pixels.baseAddress!, nil, target, zRange)
        }
    }

    private static func dispatch<V: PasteVoxel>(_ frame: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                 _ t: PasteTarget<V>, _ z: ClosedRange<Int>) -> PasteCounts {
        switch (t.interpolation, t.fixedPoint) {
        case (.nearestNeighbor, true):
            switch t.compounding {
            case .latest: return nearestFixed(frame, pixels, imp, t, z, NearestLatest<V>.self)
            case .maximum: return nearestFixed(frame, pixels, imp, t, z, NearestMaximum<V>.self)
            case .mean: return nearestFixed(frame, pixels, imp, t, z, NearestMean<V>.self)
            case .importanceMask: return nearestFixed(frame, pixels, imp, t, z, NearestImportance<V>.self)
            }
        case (.nearestNeighbor, false):
            switch t.compounding {
            case .latest: return nearestDouble(frame, pixels, imp, t, z, NearestLatest<V>.self)
            case .maximum: return nearestDouble(frame, pixels, imp, t, z, NearestMaximum<V>.self)
            case .mean: return nearestDouble(frame, pixels, imp, t, z, NearestMean<V>.self)
            case .importanceMask: return nearestDouble(frame, pixels, imp, t, z, NearestImportance<V>.self)
            }
        case (.linear, true):
            return linearFixed(frame, pixels, imp, t, z)
        case (.linear, false):
            return linearDouble(frame, pixels, imp, t, z)
        }
    }

    // MARK: Nearest neighbour

    /// Nearest neighbour in fixed point: voxel index = round(origin + y*yAxis + x*xAxis), all in
    /// exact 14-bit fixed-point integer arithmetic as PLUS FULL does.
    private static func nearestFixed<V: PasteVoxel, Op: NearestOp>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                                    _ t: PasteTarget<V>, _ z: ClosedRange<Int>, _: Op.Type) -> PasteCounts where Op.V == V {
        var counts = PasteCounts()
        let m = f.mapping
        let one = FixedPoint.one, half = FixedPoint.half
        let d = t.dimensions
        let sy = d.x, sz = d.x * d.y
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        let lo = SIMD3(-half, -half, z.lowerBound * one - half)
        let hi = SIMD3((d.x - 1) * one + half - 1, (d.y - 1) * one + half - 1, z.upperBound * one + half - 1)
        guard f.mask.firstRow <= f.mask.lastRow else { return counts }
        for row in f.mask.firstRow...f.mask.lastRow {
            let p = m.originFixed &+ row &* m.yAxisFixed
            var t0 = 0, t1 = f.width - 1
            IntegerInterval.clamp(&t0, &t1, p: p.x, d: m.xAxisFixed.x, lo: lo.x, hi: hi.x)
            IntegerInterval.clamp(&t0, &t1, p: p.y, d: m.xAxisFixed.y, lo: lo.y, hi: hi.y)
            IntegerInterval.clamp(&t0, &t1, p: p.z, d: m.xAxisFixed.z, lo: lo.z, hi: hi.z)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            let rowImportance = imp.map { $0 + row * f.width }
            f.mask.forEachSegment(row: row) { s, e in
                let s = max(s, t0), e = min(e, t1)
                guard s <= e else { return }
                var vx = p.x + s * m.xAxisFixed.x, vy = p.y + s * m.xAxisFixed.y, vz = p.z + s * m.xAxisFixed.z
                let dx = m.xAxisFixed.x, dy = m.xAxisFixed.y, dz = m.xAxisFixed.z
                var pasted = 0, overflow = 0
                for x in s...e {
                    let value = rowPixels[x]
                    if let reject, value.doubleValue < reject {
                        vx &+= dx; vy &+= dy; vz &+= dz
                        continue
                    }
                    let index = ((vx &+ half) >> 14) &+ ((vy &+ half) >> 14) &* sy &+ ((vz &+ half) >> 14) &* sz
                    overflow &+= Op.apply(out, acc, index, value, rowImportance.map { Int($0[x]) } ?? 0)
                    pasted &+= 1
                    vx &+= dx; vy &+= dy; vz &+= dz
                }
                counts.pixels += pasted
                counts.voxelUpdates += pasted
                counts.accumulationOverflows += overflow
            }
        }
        return counts
    }

    /// Nearest neighbour in double precision (PLUS PARTIAL/NONE), with PLUS's rounding.
    private static func nearestDouble<V: PasteVoxel, Op: NearestOp>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                                     _ t: PasteTarget<V>, _ z: ClosedRange<Int>, _: Op.Type) -> PasteCounts where Op.V == V {
        var counts = PasteCounts()
        let m = f.mapping
        let d = t.dimensions
        let sy = d.x, sz = d.x * d.y
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        guard f.mask.firstRow <= f.mask.lastRow else { return counts }
        for row in f.mask.firstRow...f.mask.lastRow {
            let p = m.origin + Double(row) * m.yAxis
            let rowPixels = pixels + row * f.width
            let rowImportance = imp.map { $0 + row * f.width }
            f.mask.forEachSegment(row: row) { s, e in
                var pasted = 0, overflow = 0
                for x in s...e {
                    let value = rowPixels[x]
                    if let reject, value.doubleValue < reject { continue }
                    let v = p + Double(x) * m.xAxis
                    let ix = PlusRounding.round(v.x), iy = PlusRounding.round(v.y), iz = PlusRounding.round(v.z)
                    guard ix >= 0, ix < d.x, iy >= 0, iy < d.y, iz >= z.lowerBound, iz <= z.upperBound else { continue }
                    let index = ix + iy * sy + iz * sz
                    overflow &+= Op.apply(out, acc, index, value, rowImportance.map { Int($0[x]) } ?? 0)
                    pasted &+= 1
                }
                counts.pixels += pasted
                counts.voxelUpdates += pasted
                counts.accumulationOverflows += overflow
            }
        }
        return counts
    }

    // MARK: Linear (trilinear splatting)

    /// Trilinear splatting in fixed point, reproducing PLUS's weight products and rounding.
    private static func linearFixed<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                   _ t: PasteTarget<V>, _ z: ClosedRange<Int>) -> PasteCounts {
        switch t.compounding {
        case .latest: return linearFixed(f, pixels, imp, t, z, LinearLatestFixed<V>.self)
        case .maximum: return linearFixed(f, pixels, imp, t, z, LinearMaximumFixed<V>.self)
        case .mean: return linearFixed(f, pixels, imp, t, z, LinearMeanFixed<V>.self)
        case .importanceMask: return linearFixed(f, pixels, imp, t, z, LinearImportanceFixed<V>.self)
        }
    }

    private static func linearFixed<V: PasteVoxel, Op: LinearFixedOp>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                                      _ t: PasteTarget<V>, _ z: ClosedRange<Int>, _: Op.Type) -> PasteCounts where Op.V == V {
        var counts = PasteCounts()
        let m = f.mapping
        let one = FixedPoint.one, mask = FixedPoint.fractionMask
        let d = t.dimensions
        let sy = d.x, sz = d.x * d.y
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        // Pixel kept when 0 <= v <= (n-1) on x, y (floor and ceil inside) and its two z corners
        // meet the slab.
        let loZ = max(0, (z.lowerBound - 1) * one + 1)
        let hiZ = min((d.z - 1) * one, (z.upperBound + 1) * one - 1)
        let zLo = z.lowerBound, zHi = z.upperBound
        guard f.mask.firstRow <= f.mask.lastRow else { return counts }
        for row in f.mask.firstRow...f.mask.lastRow {
            let p = m.originFixed &+ row &* m.yAxisFixed
            var t0 = 0, t1 = f.width - 1
            IntegerInterval.clamp(&t0, &t1, p: p.x, d: m.xAxisFixed.x, lo: 0, hi: (d.x - 1) * one)
            IntegerInterval.clamp(&t0, &t1, p: p.y, d: m.xAxisFixed.y, lo: 0, hi: (d.y - 1) * one)
            IntegerInterval.clamp(&t0, &t1, p: p.z, d: m.xAxisFixed.z, lo: loZ, hi: hiZ)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            let rowImportance = imp.map { $0 + row * f.width }
            f.mask.forEachSegment(row: row) { s, e in
                let s = max(s, t0), e = min(e, t1)
                guard s <= e else { return }
                let dx = m.xAxisFixed.x, dy = m.xAxisFixed.y, dz = m.xAxisFixed.z
                var vx = p.x + s * dx, vy = p.y + s * dy, vz = p.z + s * dz
                var pasted = 0, updates = 0, overflow = 0
                for x in s...e {
                    defer { vx &+= dx; vy &+= dy; vz &+= dz }
                    let value = rowPixels[x]
                    if let reject, value.doubleValue < reject { continue }
                    let fx = vx & mask, fy = vy & mask, fz = vz & mask
                    let z0 = vz >> 14
                    let rx = one &- fx, ry = one &- fy, rz = one &- fz
                    let ryrz = FixedPoint.multiply(ry, rz), ryfz = FixedPoint.multiply(ry, fz)
                    let fyrz = FixedPoint.multiply(fy, rz), fyfz = FixedPoint.multiply(fy, fz)
                    let x1 = fx != 0 ? 1 : 0, y1 = fy != 0 ? sy : 0, z1 = fz != 0 ? sz : 0
                    let base = (vx >> 14) &+ (vy >> 14) &* sy &+ z0 &* sz
                    let importance = rowImportance.map { Int($0[x]) } ?? 0
                    // The two z layers this pixel touches, restricted to the slab.
                    let lowIn = z0 >= zLo && z0 <= zHi
                    let z1Index = z0 + (fz != 0 ? 1 : 0)
                    let highIn = z1Index >= zLo && z1Index <= zHi
                    var n = 0
                    // PLUS visits corner j = 7 ... 0 (bit 2: x1, bit 1: y1, bit 0: z1); each
                    // corner is a different voxel, so only the set of updates matters.
                    if highIn {
                        let w7 = FixedPoint.multiply(fx, fyfz), w5 = FixedPoint.multiply(fx, ryfz)
                        let w3 = FixedPoint.multiply(rx, fyfz), w1 = FixedPoint.multiply(rx, ryfz)
                        let b = base &+ z1
                        if w7 != 0 { overflow &+= Op.apply(out, acc, b &+ x1 &+ y1, value, w7, importance); n &+= 1 }
                        if w5 != 0 { overflow &+= Op.apply(out, acc, b &+ x1, value, w5, importance); n &+= 1 }
                        if w3 != 0 { overflow &+= Op.apply(out, acc, b &+ y1, value, w3, importance); n &+= 1 }
                        if w1 != 0 { overflow &+= Op.apply(out, acc, b, value, w1, importance); n &+= 1 }
                    }
                    if lowIn {
                        let w6 = FixedPoint.multiply(fx, fyrz), w4 = FixedPoint.multiply(fx, ryrz)
                        let w2 = FixedPoint.multiply(rx, fyrz), w0 = FixedPoint.multiply(rx, ryrz)
                        if w6 != 0 { overflow &+= Op.apply(out, acc, base &+ x1 &+ y1, value, w6, importance); n &+= 1 }
                        if w4 != 0 { overflow &+= Op.apply(out, acc, base &+ x1, value, w4, importance); n &+= 1 }
                        if w2 != 0 { overflow &+= Op.apply(out, acc, base &+ y1, value, w2, importance); n &+= 1 }
                        if w0 != 0 { overflow &+= Op.apply(out, acc, base, value, w0, importance); n &+= 1 }
                    }
                    if n > 0 { pasted &+= 1; updates &+= n }
                }
                counts.pixels += pasted
                counts.voxelUpdates += updates
                counts.accumulationOverflows += overflow
            }
        }
        return counts
    }

    /// Trilinear splatting in double precision (PLUS PARTIAL/NONE).
    private static func linearDouble<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                    _ t: PasteTarget<V>, _ z: ClosedRange<Int>) -> PasteCounts {
        var counts = PasteCounts()
        let m = f.mapping
        let d = t.dimensions
        let sy = d.x, sz = d.x * d.y
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        let mode = t.compounding
        guard f.mask.firstRow <= f.mask.lastRow else { return counts }
        for row in f.mask.firstRow...f.mask.lastRow {
            let p = m.origin + Double(row) * m.yAxis
            let rowPixels = pixels + row * f.width
            let rowImportance = imp.map { $0 + row * f.width }
            f.mask.forEachSegment(row: row) { s, e in
                var pasted = 0, updates = 0, overflow = 0
                for x in s...e {
                    let value = rowPixels[x]
                    if let reject, value.doubleValue < reject { continue }
                    let v = p + Double(x) * m.xAxis
                    let x0 = PlusRounding.floor(v.x), y0 = PlusRounding.floor(v.y), z0 = PlusRounding.floor(v.z)
                    let fx = v.x - Double(x0), fy = v.y - Double(y0), fz = v.z - Double(z0)
                    let x1 = x0 + (fx != 0 ? 1 : 0), y1 = y0 + (fy != 0 ? 1 : 0), z1 = z0 + (fz != 0 ? 1 : 0)
                    guard x0 >= 0, y0 >= 0, z0 >= 0, x1 < d.x, y1 < d.y, z1 < d.z else { continue }
                    if z1 < z.lowerBound || z0 > z.upperBound { continue }
                    let rx = 1 - fx, ry = 1 - fy, rz = 1 - fz
                    let importance = rowImportance.map { Int($0[x]) } ?? 0
                    var touched = false
                    var j = 8
                    while j > 0 {
                        j -= 1
                        let cz = (j & 1) != 0 ? z1 : z0
                        if cz < z.lowerBound || cz > z.upperBound { continue }
                        let wx = (j & 4) != 0 ? fx : rx, wy = (j & 2) != 0 ? fy : ry, wz = (j & 1) != 0 ? fz : rz
                        let w = wx * (wy * wz)
                        if w == 0 { continue }
                        let index = ((j & 4) != 0 ? x1 : x0) + ((j & 2) != 0 ? y1 : y0) * sy + cz * sz
                        overflow &+= linearCornerDouble(out, acc, index, value, w, importance, mode)
                        updates &+= 1
                        touched = true
                    }
                    if touched { pasted &+= 1 }
                }
                counts.pixels += pasted
                counts.voxelUpdates += updates
                counts.accumulationOverflows += overflow
            }
        }
        return counts
    }

    @inline(__always)
    private static func linearCornerDouble<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Double,
                                                          _ importance: Int, _ mode: ReconstructionSettings.CompoundingMode) -> Int {
        let a = Int(acc[i])
        func store(_ newA: Double) {
            acc[i] = newA < Double(accumulationMaximum) ? UInt16(clamping: PlusRounding.round(newA)) : UInt16(accumulationMaximum)
        }
        switch mode {
        case .latest:
            if w >= 0.125 { out[i] = value; store(w * 256) }
            return 0
        case .maximum:
            if w >= 0.125 && value > out[i] { out[i] = value; store(w * 256) }
            return 0
        case .mean:
            let r = Double(a) / 256
            let sum = w + r
            out[i] = V.meanLinearDouble(weight: w, previous: r, sum: sum, input: value, output: out[i])
            let newA = sum * 256
            store(newA)
            return newA > Double(accumulationThreshold) && a <= accumulationThreshold ? 1 : 0
        case .importanceMask:
            return linearImportance(out, acc, i, value, w, importance)
        }
    }

    /// IMPORTANCE_MASK with trilinear weights: mean weighted by mask value * weight, with the
    /// accumulation holding the summed weights (PLUS semantics, in double precision).
    @inline(__always)
    static func linearImportance<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V,
                                                        _ w: Double, _ importance: Int) -> Int {
        guard importance > 0 else { return 0 }
        let a = Double(acc[i])
        let inputWeight = Double(importance) * w
        out[i] = V.weightedMean(input: value, inputWeight: inputWeight, output: out[i], outputWeight: a)
        let newA = inputWeight + a
        acc[i] = newA < Double(accumulationMaximum) ? UInt16(clamping: PlusRounding.round(newA)) : UInt16(accumulationMaximum)
        return newA > Double(accumulationThreshold) && a <= Double(accumulationThreshold) ? 1 : 0
    }
}

// MARK: Nearest-neighbour compounding operators

/// One nearest-neighbour compounding rule; returns 1 when the voxel's accumulation overflowed.
protocol NearestOp {
    associatedtype V: PasteVoxel
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int
}

enum NearestLatest<V: PasteVoxel>: NearestOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        out[i] = value
        acc[i] = 256
        return 0
    }
}

enum NearestMaximum<V: PasteVoxel>: NearestOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        if out[i] < value { out[i] = value }
        acc[i] = 256
        return 0
    }
}

enum NearestMean<V: PasteVoxel>: NearestOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        let a = Int(acc[i])
        if a <= SlicePaster.accumulationThreshold {
            let newA = a + SlicePaster.accumulationMultiplier
            out[i] = V.meanNearest(input: value, output: out[i], accumulation: a, newAccumulation: newA)
            acc[i] = UInt16(min(newA, SlicePaster.accumulationMaximum))
            return newA > SlicePaster.accumulationThreshold ? 1 : 0
        }
        out[i] = V.overflowBlend(input: value, output: out[i])
        return 0
    }
}

enum NearestImportance<V: PasteVoxel>: NearestOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        let a = Int(acc[i])
        if a <= SlicePaster.accumulationThreshold {
            guard importance > 0 else { return 0 }
            let newA = a + importance
            out[i] = V.weightedMeanInteger(input: value, inputWeight: importance, output: out[i], accumulation: a, newAccumulation: newA)
            acc[i] = UInt16(min(newA, SlicePaster.accumulationMaximum))
            return newA > SlicePaster.accumulationThreshold ? 1 : 0
        }
        out[i] = V.overflowBlend(input: value, output: out[i])
        return 0
    }
}

// MARK: Linear (fixed-point) compounding operators

/// One trilinear compounding rule for a corner of weight `w` (fixed-point raw); returns 1 when the
/// voxel's accumulation overflowed.
protocol LinearFixedOp {
    associatedtype V: PasteVoxel
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int, _ importance: Int) -> Int
}

/// PLUS writes LATEST and MAXIMUM corners only when the weight reaches 1/8.
private let minimumCornerWeight = 2048

enum LinearLatestFixed<V: PasteVoxel>: LinearFixedOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int, _ importance: Int) -> Int {
        if w >= minimumCornerWeight {
            out[i] = value
            acc[i] = UInt16(truncatingIfNeeded: FixedPoint.round(w &* SlicePaster.accumulationMultiplier))
        }
        return 0
    }
}

enum LinearMaximumFixed<V: PasteVoxel>: LinearFixedOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int, _ importance: Int) -> Int {
        if w >= minimumCornerWeight && value > out[i] {
            out[i] = value
            acc[i] = UInt16(truncatingIfNeeded: FixedPoint.round(w &* SlicePaster.accumulationMultiplier))
        }
        return 0
    }
}

enum LinearMeanFixed<V: PasteVoxel>: LinearFixedOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int, _ importance: Int) -> Int {
        let a = Int(acc[i])
        let r = a &* 64  // fixed(acc / 256.0), exact
        let sum = w &+ r
        out[i] = V.meanLinearFixed(weight: w, previous: r, sum: sum, input: value, output: out[i])
        let newA = sum &* SlicePaster.accumulationMultiplier
        if newA < SlicePaster.accumulationMaximum << 14 {
            acc[i] = UInt16(truncatingIfNeeded: FixedPoint.round(newA))
            return newA > SlicePaster.accumulationThreshold << 14 && a <= SlicePaster.accumulationThreshold ? 1 : 0
        }
        acc[i] = UInt16(SlicePaster.accumulationMaximum)
        return a <= SlicePaster.accumulationThreshold ? 1 : 0
    }
}

enum LinearImportanceFixed<V: PasteVoxel>: LinearFixedOp {
    @inline(__always)
    static func apply(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int, _ importance: Int) -> Int {
        SlicePaster.linearImportance(out, acc, i, value, FixedPoint.toDouble(w), importance)
    }
}
