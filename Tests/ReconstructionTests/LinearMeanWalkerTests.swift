import Geometry
import Imaging
import Testing
@testable import Reconstruction

/// The double-precision trilinear MEAN walkers (`SlicePaster.linearMeanDouble`: 8-bit voxels
/// with the cell held in registers, float voxels several rows at once) against the plain row-by-row walk of the same pixel updates (`LinearSplat` with
/// `MeanCompounding`, the generic walker's loop): every voxel, accumulation and count equal, on
/// random maps with axis components exactly 0, integral positions (fractions exactly 0),
/// negative axes, rows crossing the grid and slab edges, fan masks cut in two, pixel rejection,
/// accumulations around PLUS's overflow threshold and 1 to 3 slabs; and with steps of a few
/// hundredths of a voxel, long runs of pixels in one cell leaving it in every direction.
@Suite struct LinearMeanWalkerTests {
    /// SplitMix64: reproducible cases.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(next() % UInt64(r.count)) }
        mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }
        mutating func chance(_ p: Double) -> Bool { unit() < p }
    }

    /// An axis component: exactly 0, a multiple of 1/8 or arbitrary, either sign; `small` gives
    /// the sub-voxel steps of real probes (many pixels per cell).
    static func component(_ g: inout Random, small: Bool, longRuns: Bool = false) -> Double {
        let sign: Double = g.chance(0.5) ? -1 : 1
        switch g.int(0...3) {
        case 0: return 0
        case 1: return sign * Double(g.int(1...8)) / (longRuns ? 256 : small ? 32 : 8)
        default: return sign * g.unit() * (longRuns ? 0.06 : small ? 0.4 : 1.5)
        }
    }

    struct Case {
        var dims: SIMD3<Int>
        var slabs: [ClosedRange<Int>]
        var frames: [(pixels: [UInt8], mapping: FrameMapping)]
        var width: Int, height: Int
        var mask: PixelMask
        var reject: Double?
        var voxels: [UInt8]
        var accumulation: [UInt16]
    }

    /// `longRuns`: the row direction's components below 0.06 voxel (tens of pixels per cell) and
    /// accumulations from 63000 (many cross the overflow threshold within one cell's run).
    static func makeCase(seed: UInt64, longRuns: Bool = false) throws -> Case {
        var g = Random(state: seed)
        let dims = SIMD3(g.int(2...12), g.int(2...12), g.int(2...10))
        var cuts = [0]
        for _ in 0..<g.int(0...2) where dims.z > 1 { cuts.append(g.int(1...(dims.z - 1))) }
        cuts = Array(Set(cuts)).sorted()
        let slabs = cuts.indices.map { k in cuts[k]...((k + 1 < cuts.count ? cuts[k + 1] : dims.z) - 1) }
        let width = g.int(1...48), height = g.int(1...10)
        var attributes = ["OutputSpacing": "1 1 1"]
        if g.chance(0.3) {
            attributes["FanAnglesDeg"] = "-40 35"
            attributes["FanOriginPixel"] = "\(width / 2) -2"
            attributes["FanRadiusStartPixel"] = "\(g.int(2...8))"
            attributes["FanRadiusStopPixel"] = "\(g.int(10...60))"
        }
        let settings = try ReconstructionSettings(attributes: attributes)
        let mask = PixelMask(width: width, height: height, settings: settings, fanAnglesDeg: settings.fanAnglesDeg)
        let grid = VolumeGeometry(dimensions: dims, spacing: SIMD3(1, 1, 1), origin: .zero)
        var frames: [(pixels: [UInt8], mapping: FrameMapping)] = []
        let small = g.chance(0.7)
        for _ in 0..<g.int(1...4) {
            var linear = [Double](repeating: 0, count: 9)
            for k in 0..<9 { linear[k] = component(&g, small: small, longRuns: longRuns && k % 3 == 0) }
            var origin = SIMD3<Double>.zero
            for k in 0..<3 {
                let span = Double(dims[k])
                origin[k] = g.chance(0.3) ? Double(g.int(-1...dims[k])) : -1.5 + g.unit() * (span + 2)
            }
            let m = Transform3D(linear: linear, translation: origin)
            let pixels = (0..<(width * height)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
            frames.append((pixels, FrameMapping(imageToReference: m, grid: grid)))
        }
        let n = dims.x * dims.y * dims.z
        let voxels = (0..<n).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let accumulation: [UInt16] = (0..<n).map { _ in
            switch g.int(0...3) {
            case 0: return 0
            case 1: return UInt16(g.int((longRuns ? 63000 : 65000)...65535))
            default: return UInt16(g.int(0...65535))
            }
        }
        return Case(dims: dims, slabs: slabs, frames: frames, width: width, height: height, mask: mask,
                    reject: g.chance(0.2) ? 60 : nil, voxels: voxels, accumulation: accumulation)
    }

    /// Pastes every frame into every slab, by the dispatched walker or row by row.
    static func run<V: PasteVoxel>(_ c: Case, as _: V.Type, rowByRow: Bool, kernels: PasteKernelSet = .baseline) -> (voxels: [V], accumulation: [UInt16], counts: PasteCounts) {
        var voxels = c.voxels.map { V(clampingPixel: Double($0)) }
        var accumulation = c.accumulation
        var counts = PasteCounts()
        voxels.withSharedBuffer { out in
            accumulation.withSharedBuffer { acc in
                let target = PasteTarget(voxels: out, accumulation: acc, dimensions: c.dims, interpolation: .linear, compounding: .mean,
                                         fixedPoint: false, rejectBelow: c.reject, importance: nil, kernels: kernels)
                for f in c.frames {
                    let frame = PreparedFrame(pixels: f.pixels.map { V(clampingPixel: Double($0)) }, width: c.width, height: c.height,
                                              mapping: f.mapping, mask: c.mask)
                    for slab in c.slabs {
                        counts = counts + (rowByRow ? pasteRowByRow(frame, target, slab) : SlicePaster.paste(frame, into: target, zRange: slab))
                    }
                }
            }
        }
        return (voxels, accumulation, counts)
    }

    /// The generic walker's order: rows, then columns.
    static func pasteRowByRow<V: PasteVoxel>(_ f: PreparedFrame<V>, _ t: PasteTarget<V>, _ slab: ClosedRange<Int>) -> PasteCounts {
        let a = DoubleArithmetic(mapping: f.mapping, dimensions: t.dimensions, slab: slab)
        var counts = PasteCounts()
        for row in 0..<f.height {
            let (t0, t1) = a.linearRange(row: row, width: f.width)
            f.mask.forEachSegment(row: row) { s, e in
                guard max(s, t0) <= min(e, t1) else { return }
                for x in max(s, t0)...min(e, t1) {
                    let value = f.pixels[row * f.width + x]
                    if let r = t.rejectBelow, value.doubleValue < r { continue }
                    let n = LinearSplat.paste(a, a.cursor(row: row, x: x), value, 0, t.voxels, t.accumulation,
                                              MeanCompounding.self, &counts.accumulationOverflows)
                    if n > 0 { counts.pixels += 1; counts.voxelUpdates += n }
                }
            }
        }
        return counts
    }

    static func same<V: PasteVoxel>(_ c: Case, _: V.Type, _ kernels: PasteKernelSet) -> Bool {
        let fast = run(c, as: V.self, rowByRow: false, kernels: kernels), plain = run(c, as: V.self, rowByRow: true)
        return fast.voxels == plain.voxels && fast.accumulation == plain.accumulation && fast.counts.pixels == plain.counts.pixels
            && fast.counts.voxelUpdates == plain.counts.voxelUpdates
            && fast.counts.accumulationOverflows == plain.counts.accumulationOverflows
    }

    /// Each compiled copy of the held-cell walker this machine runs (float voxels, which no
    /// copy takes, are checked with the baseline one).
    static let kernelSets = PasteKernelSet.allCases.filter(\.isAvailable)

    @Test(arguments: kernelSets) func rowsTogetherEqualRowByRow(kernels: PasteKernelSet) throws {
        var mismatches: [UInt64] = []
        var updates = 0, overflows = 0
        for seed in UInt64(1)...600 {
            let c = try Self.makeCase(seed: seed)
            if !Self.same(c, UInt8.self, kernels) || (kernels == .baseline && !Self.same(c, Float.self, kernels)) { mismatches.append(seed) }
            let r = Self.run(c, as: UInt8.self, rowByRow: true).counts
            updates += r.voxelUpdates
            overflows += r.accumulationOverflows
        }
        #expect(mismatches.isEmpty, "cases differing from the row-by-row walk: \(mismatches.prefix(10))")
        // The cases must exercise the paths they are there for.
        #expect(updates > 100_000 && overflows > 100)
    }

    /// Rows of tens of pixels per cell: the held cell's runs, its write-back on leaving it in
    /// either direction of every axis, and overflows crossed within a run.
    @Test(arguments: kernelSets) func longRunsInOneCellEqualRowByRow(kernels: PasteKernelSet) throws {
        var mismatches: [UInt64] = []
        var updates = 0, overflows = 0
        for seed in UInt64(1)...400 {
            let c = try Self.makeCase(seed: seed, longRuns: true)
            if !Self.same(c, UInt8.self, kernels) { mismatches.append(seed) }
            let r = Self.run(c, as: UInt8.self, rowByRow: true).counts
            updates += r.voxelUpdates
            overflows += r.accumulationOverflows
        }
        #expect(mismatches.isEmpty, "cases differing from the row-by-row walk: \(mismatches.prefix(10))")
        #expect(updates > 100_000 && overflows > 100)
    }

    /// The lag keeps rows apart by at least the reach of a cell (2 voxels on the largest axis of
    /// the row direction), and falls back to the row width when nothing smaller works.
    @Test func lagsCoverTheCellReach() {
        let grid = VolumeGeometry(dimensions: SIMD3(10, 10, 10), spacing: SIMD3(1, 1, 1), origin: .zero)
        let m = FrameMapping(imageToReference: Transform3D(linear: [0.25, 0.1, 0, 0, 0.3, 0, 0, 0, 1], translation: .zero), grid: grid)
        let lags = RowLags(m, width: 640, rows: 3)
        #expect(Double(lags[1]) * 0.25 - 0.3 >= 2 && Double(lags[2]) * 0.25 - 0.6 >= 2)
        #expect(lags[1] < 14 && lags[2] < 16)
        let flat = FrameMapping(imageToReference: Transform3D(linear: [0, 0.1, 0, 0, 0.3, 0, 0, 0, 1], translation: .zero), grid: grid)
        #expect(RowLags(flat, width: 640, rows: 2)[1] == 640)
    }
}
