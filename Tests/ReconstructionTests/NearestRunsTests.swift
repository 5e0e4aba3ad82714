import Geometry
import Imaging
import Testing
@testable import Reconstruction

/// The nearest-neighbour run walkers must give exactly the per-pixel walkers' voxels,
/// accumulations and counts, which are measured bit-identical to IGSIO: in double precision
/// (`SlicePaster.nearestDoubleRuns`, which finds where each axis's rounded coordinate next
/// changes instead of rounding every pixel) against `nearestDouble`, and with FULL's fixed point
/// (`FixedPointByteKernels`, runs stepped in integers by `FixedPointArithmetic.RunAxis`, 8-bit
/// voxels) against the generic row walker with the same arithmetic (`SlicePaster.walk`). Random
/// frame mappings stress the run searches: axis-aligned axes (a component exactly 0), negative,
/// tiny and huge components, positions on exact .5 rounding boundaries, rows entering and leaving
/// the grid and the slab, fan masks with two segments per row, 1 to 3 slabs, accumulations near
/// PLUS's overflow threshold.
@Suite struct NearestRunsTests {
    /// SplitMix64: a fixed, portable sequence.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return z ^ (z >> 31)
        }
        mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.upperBound - r.lowerBound + 1)) }
        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
        mutating func double(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }
    }

    /// One axis component: mostly ordinary, sometimes exactly 0, tiny, a power-of-two fraction
    /// (which puts pixels exactly on .5 boundaries) or large (a voxel or more per pixel).
    static func component(_ g: inout Generator) -> Double {
        let sign: Double = g.int(0...1) == 0 ? -1 : 1
        switch g.int(0...9) {
        case 0, 1: return 0
        case 2: return sign * g.double(1e-12, 1e-6)
        case 3: return sign * [0.5, 0.25, 0.125, 1.0 / 3.0, 0.0625][g.int(0...4)]
        case 4: return sign * g.double(1, 2.5)
        case 5: return sign * g.double(0.3, 0.9)
        default: return sign * g.double(0.01, 0.3)
        }
    }

    /// An origin component: inside or around the grid, sometimes on an exact .5 boundary.
    static func origin(_ g: inout Generator, _ n: Int) -> Double {
        switch g.int(0...5) {
        case 0: return Double(g.int(-3...(n + 2))) + 0.5
        // PLUS's rounding boundary (k + 0.5 - 2^-17) and its neighbours.
        case 1: return Double(g.int(-3...(n + 2))) + 0.5 - 0x1p-17 + Double(g.int(-2...2)) * 0x1p-40
        default: return g.double(-4, Double(n) + 4)
        }
    }

    static func mapping(_ g: inout Generator, dimensions d: SIMD3<Int>) -> FrameMapping {
        let x = SIMD3(component(&g), component(&g), component(&g))
        let y = SIMD3(component(&g), component(&g), component(&g))
        let o = SIMD3(origin(&g, d.x), origin(&g, d.y), origin(&g, d.z))
        // Unit spacing and zero origin: the mapping's coefficients are the transform's, exactly.
        let m = Transform3D(linear: [x.x, y.x, 0, x.y, y.y, 0, x.z, y.z, 1], translation: o)
        return FrameMapping(imageToReference: m, grid: VolumeGeometry(dimensions: d, spacing: SIMD3(1, 1, 1), origin: .zero))
    }

    /// Pastes `frames` into every slab of `slabs` with the per-pixel or the run walker, in
    /// double precision or (`fixedPoint`) FULL's fixed point.
    static func paste<V: PasteVoxel, R: HeldNearestRule>(_ frames: [PreparedFrame<V>], _ out: inout [V], _ acc: inout [UInt16],
                                                         dimensions: SIMD3<Int>, slabs: [ClosedRange<Int>], _ r: R.Type,
                                                         runs: Bool, fixedPoint: Bool = false) -> PasteCounts {
        var counts = PasteCounts()
        out.withSharedBuffer { o in
            acc.withSharedBuffer { a in
                let target = PasteTarget<V>(voxels: o, accumulation: a, dimensions: dimensions, interpolation: .nearestNeighbor,
                                            compounding: compounding(r), fixedPoint: fixedPoint, rejectBelow: nil, importance: nil)
                SlicePaster.withReciprocals { table in
                    for slab in slabs {
                        for f in frames {
                            if fixedPoint {
                                counts = counts + (runs ? SlicePaster.paste(f, into: target, zRange: slab) : fixedWalk(f, target, slab, r))
                                continue
                            }
                            let arithmetic = DoubleArithmetic(mapping: f.mapping, dimensions: dimensions, slab: slab)
                            f.pixels.withUnsafeBufferPointer { p in
                                let c = runs ? SlicePaster.nearestDoubleRuns(f, p.baseAddress!, target, arithmetic, r, table)
                                    : SlicePaster.nearestDouble(f, p.baseAddress!, target, arithmetic, r, table)
                                counts = counts + c!
                            }
                        }
                    }
                }
            }
        }
        return counts
    }

    static func compounding<R: HeldNearestRule>(_: R.Type) -> ReconstructionSettings.CompoundingMode {
        R.self == HeldLatest.self ? .latest : (R.self == HeldMaximum.self ? .maximum : .mean)
    }

    /// The generic row walker with FULL's fixed-point arithmetic and `R`'s compounding.
    static func fixedWalk<V: PasteVoxel, R: HeldNearestRule>(_ f: PreparedFrame<V>, _ t: PasteTarget<V>, _ slab: ClosedRange<Int>,
                                                             _ r: R.Type) -> PasteCounts {
        let a = FixedPointArithmetic(mapping: f.mapping, dimensions: t.dimensions, slab: slab)
        return f.pixels.withUnsafeBufferPointer { p in
            switch compounding(r) {
            case .latest: SlicePaster.walk(f, p.baseAddress!, nil, t, a, NearestSplat.self, LatestCompounding.self)
            case .maximum: SlicePaster.walk(f, p.baseAddress!, nil, t, a, NearestSplat.self, MaximumCompounding.self)
            default: SlicePaster.walk(f, p.baseAddress!, nil, t, a, NearestSplat.self, MeanCompounding.self)
            }
        }
    }

    /// Both walkers on the same random case; returns (mismatching voxels, pixels pasted).
    static func compare<V: PasteVoxel, R: HeldNearestRule>(seed: UInt64, _: V.Type, _ r: R.Type, fixedPoint: Bool = false,
                                                           pixel: (UInt64) -> V) -> (Int, Int) {
        var g = Generator(state: seed)
        let d = SIMD3(g.int(3...24), g.int(3...24), g.int(3...24))
        let w = g.int(20...150), h = g.int(2...40)
        var attributes = ["OutputSpacing": "1 1 1"]
        if g.int(0...2) == 0 {
            attributes["FanAnglesDeg"] = "-40 35"
            attributes["FanOriginPixel"] = "\(w / 2) -5"
            attributes["FanRadiusStartPixel"] = "\(g.int(3...12))"
            attributes["FanRadiusStopPixel"] = "\(w)"
        }
        guard let settings = try? ReconstructionSettings(attributes: attributes) else { return (-1, 0) }
        let mask = PixelMask(width: w, height: h, settings: settings, fanAnglesDeg: settings.fanAnglesDeg)
        var frames: [PreparedFrame<V>] = []
        for _ in 0..<g.int(1...3) {
            let pixels = (0..<(w * h)).map { _ in pixel(g.next()) }
            frames.append(PreparedFrame(pixels: pixels, width: w, height: h, mapping: mapping(&g, dimensions: d), mask: mask))
        }
        let n = d.x * d.y * d.z
        // Earlier values and accumulations, some near the overflow threshold.
        let out0 = (0..<n).map { _ in pixel(g.next()) }
        let acc0 = (0..<n).map { _ -> UInt16 in
            switch g.int(0...3) {
            case 0: return UInt16(g.int(65000...65535))
            case 1: return UInt16(256 * g.int(245...255))
            default: return UInt16(256 * g.int(0...5))
            }
        }
        // 1 to 3 slabs covering the grid's z range.
        let k = g.int(1...min(3, d.z))
        var slabs: [ClosedRange<Int>] = [], z = 0
        for i in 0..<k {
            let top = i == k - 1 ? d.z - 1 : z + d.z / k - 1
            slabs.append(z...top)
            z = top + 1
        }
        var outA = out0, accA = acc0, outB = out0, accB = acc0
        let a = paste(frames, &outA, &accA, dimensions: d, slabs: slabs, r, runs: false, fixedPoint: fixedPoint)
        let b = paste(frames, &outB, &accB, dimensions: d, slabs: slabs, r, runs: true, fixedPoint: fixedPoint)
        var mismatches = 0
        for i in 0..<n where !(outA[i] == outB[i] || (outA[i] != outA[i] && outB[i] != outB[i])) || accA[i] != accB[i] { mismatches += 1 }
        if a.pixels != b.pixels || a.voxelUpdates != b.voxelUpdates || a.accumulationOverflows != b.accumulationOverflows { mismatches += 1 }
        return (mismatches, a.pixels)
    }

    static func check<V: PasteVoxel, R: HeldNearestRule>(_ v: V.Type, _ r: R.Type, fixedPoint: Bool = false, pixel: (UInt64) -> V) {
        var failed: [UInt64] = [], pasted = 0
        for seed in UInt64(1)...600 {
            let (m, p) = compare(seed: seed, v, r, fixedPoint: fixedPoint, pixel: pixel)
            if m != 0 { failed.append(seed) }
            pasted += p
        }
        #expect(failed.isEmpty, "seeds \(failed.prefix(10)) differ between the run and per-pixel walkers")
        // The random cases must actually paste: most put pixels in the grid.
        #expect(pasted > 50_000)
    }

    @Test func latestUInt8() { Self.check(UInt8.self, HeldLatest.self) { UInt8(truncatingIfNeeded: $0) } }
    @Test func maximumUInt8() { Self.check(UInt8.self, HeldMaximum.self) { UInt8(truncatingIfNeeded: $0) } }
    @Test func meanUInt8() { Self.check(UInt8.self, HeldMean.self) { UInt8(truncatingIfNeeded: $0) } }
    @Test func latestFloat() { Self.check(Float.self, HeldLatest.self) { Float(Int($0 % 2000)) / 8 - 40 } }
    @Test func maximumFloat() { Self.check(Float.self, HeldMaximum.self) { $0 % 97 == 0 ? .nan : Float(Int($0 % 2000)) / 8 - 40 } }
    @Test func meanFloat() { Self.check(Float.self, HeldMean.self) { Float(Int($0 % 2000)) / 8 - 40 } }
    @Test func latestFixedPoint() { Self.check(UInt8.self, HeldLatest.self, fixedPoint: true) { UInt8(truncatingIfNeeded: $0) } }
    @Test func maximumFixedPoint() { Self.check(UInt8.self, HeldMaximum.self, fixedPoint: true) { UInt8(truncatingIfNeeded: $0) } }
    @Test func meanFixedPoint() { Self.check(UInt8.self, HeldMean.self, fixedPoint: true) { UInt8(truncatingIfNeeded: $0) } }
}
