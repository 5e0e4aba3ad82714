import Geometry
import Imaging
import Testing
@testable import Reconstruction

/// The double-precision trilinear LATEST / MAXIMUM walker for 8-bit voxels
/// (`SlicePaster.linearDouble`, cell held in registers) must make exactly the voxel updates of
/// the generic walker (`SlicePaster.walk` with `LinearSplat`), which is bit-identical to IGSIO:
/// same voxels, accumulations and counts, on random frame mappings built to hit the edge cases
/// (axis components and fractions exactly 0, negative axes, rows crossing the grid's and the
/// slabs' edges, 1 to 3 slabs, pixel rejection, fan masks).
@Suite struct LinearDoubleWalkerTests {
    struct Outcome: Equatable {
        var voxels: [UInt8]
        var accumulation: [UInt16]
        var pixels = 0, updates = 0, overflows = 0
    }

    /// A mapping component: often exactly 0 or a short binary fraction (positions on the grid,
    /// fractions exactly 0), sometimes any value, either sign.
    static func component(_ g: inout SplitMix64, scale: Double) -> Double {
        switch g.next() % 6 {
        case 0: return 0
        case 1: return Double(Int(g.next() % 9) - 4) * 0.25 * scale
        case 2: return Double(Int(g.next() % 5) - 2) * 0.5
        default: return (g.nextUnit() * 2 - 1) * scale
        }
    }

    /// Steps of 0.05 to 1.3 voxels per pixel, and now and then steps that throw the next pixel
    /// far out (past 2^35, where the walker's floor leaves its exact range).
    static func randomMapping(_ g: inout SplitMix64, dimensions d: SIMD3<Int>) -> FrameMapping {
        let step = [0.05, 0.3, 0.7, 1.3, 0.3, 0.7, 0x1p35, 1e12][Int(g.next() % 8)]
        let xAxis = SIMD3(component(&g, scale: step), component(&g, scale: step), component(&g, scale: step))
        let yAxis = SIMD3(component(&g, scale: step), component(&g, scale: step), component(&g, scale: step))
        // An origin around the grid, on the grid or half-way at times, so rows cross its edges.
        var origin = SIMD3<Double>.zero
        for k in 0..<3 {
            let n = Double(d[k])
            switch g.next() % 3 {
            case 0: origin[k] = Double(Int(g.next() % UInt64(d[k] + 4)) - 2)
            case 1: origin[k] = Double(Int(g.next() % UInt64(2 * d[k] + 8)) - 4) * 0.5
            default: origin[k] = g.nextUnit() * (n + 4) - 2
            }
        }
        let m = Transform3D(rowMajor: [xAxis.x, yAxis.x, 0, origin.x, xAxis.y, yAxis.y, 0, origin.y, xAxis.z, yAxis.z, 1, origin.z, 0, 0, 0, 1])
        let grid = VolumeGeometry(dimensions: d, spacing: SIMD3(1, 1, 1), origin: .zero)
        return FrameMapping(imageToReference: m, grid: grid)
    }

    /// Slabs split 0..<depth into `count` z ranges (fewer when the grid is thinner).
    static func slabs(depth: Int, count: Int, _ g: inout SplitMix64) -> [ClosedRange<Int>] {
        guard count > 1, depth > 1 else { return [0...depth - 1] }
        var cuts = Set<Int>()
        for _ in 1..<count { cuts.insert(1 + Int(g.next() % UInt64(depth - 1))) }
        let bounds = [0] + cuts.sorted() + [depth]
        return (0..<bounds.count - 1).map { bounds[$0]...bounds[$0 + 1] - 1 }
    }

    static func paste(_ frames: [PreparedFrame<UInt8>], _ start: Outcome, dimensions: SIMD3<Int>, compounding: ReconstructionSettings.CompoundingMode,
                      reject: Double?, slabs: [ClosedRange<Int>], held: Bool, kernels: PasteKernelSet = .baseline) -> Outcome {
        var r = start
        var counts = PasteCounts()
        r.voxels.withSharedBuffer { vox in
            r.accumulation.withSharedBuffer { acc in
                let t = PasteTarget(voxels: vox, accumulation: acc, dimensions: dimensions, interpolation: .linear, compounding: compounding,
                                    fixedPoint: false, rejectBelow: reject, importance: nil, kernels: kernels)
                for slab in slabs {
                    for f in frames {
                        let a = DoubleArithmetic(mapping: f.mapping, dimensions: dimensions, slab: slab)
                        counts = counts + f.pixels.withUnsafeBufferPointer { p in
                            if held {
                                return SlicePaster.linearDouble(f, p.baseAddress!, t, a) ?? PasteCounts(pixels: -1)
                            }
                            return compounding == .latest
                                ? SlicePaster.walk(f, p.baseAddress!, nil, t, a, LinearSplat.self, LatestCompounding.self)
                                : SlicePaster.walk(f, p.baseAddress!, nil, t, a, LinearSplat.self, MaximumCompounding.self)
                        }
                    }
                }
            }
        }
        r.pixels = counts.pixels
        r.updates = counts.voxelUpdates
        r.overflows = counts.accumulationOverflows
        return r
    }

    @Test(arguments: [ReconstructionSettings.CompoundingMode.latest, .maximum], PasteKernelSet.allCases.filter(\.isAvailable))
    func heldCellWalkerEqualsGenericWalker(compounding: ReconstructionSettings.CompoundingMode, kernels: PasteKernelSet) throws {
        var g = SplitMix64(seed: compounding == .latest ? 15 : 16)
        let plain = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1"])
        let fan = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FanAnglesDeg": "-40 35", "FanOriginPixel": "12 -3",
                                                          "FanRadiusStartPixel": "6", "FanRadiusStopPixel": "30"])
        var mismatches = 0, pasted = 0
        for trial in 0..<3000 {
            let d = SIMD3(2 + Int(g.next() % 11), 1 + Int(g.next() % 10), 1 + Int(g.next() % 9))
            let width = 1 + Int(g.next() % 40), height = 1 + Int(g.next() % 12)
            let settings = g.next() % 3 == 0 ? fan : plain
            let mask = PixelMask(width: width, height: height, settings: settings, fanAnglesDeg: settings.fanAnglesDeg)
            var frames: [PreparedFrame<UInt8>] = []
            for _ in 0..<(1 + Int(g.next() % 3)) {
                // Few distinct values: MAXIMUM meets ties.
                let pixels = (0..<width * height).map { _ in UInt8(truncatingIfNeeded: g.next() % 4 == 0 ? 200 : g.next() % 256) }
                frames.append(PreparedFrame(pixels: pixels, width: width, height: height,
                                            mapping: Self.randomMapping(&g, dimensions: d), mask: mask))
            }
            let count = d.x * d.y * d.z
            let start = Outcome(voxels: (0..<count).map { _ in UInt8(truncatingIfNeeded: g.next() % 3 == 0 ? 0 : g.next()) },
                                accumulation: (0..<count).map { _ in g.next() % 2 == 0 ? 0 : UInt16(truncatingIfNeeded: g.next()) })
            let reject: Double? = g.next() % 4 == 0 ? 60 : nil
            let slabs = Self.slabs(depth: d.z, count: 1 + Int(g.next() % 3), &g)
            let generic = Self.paste(frames, start, dimensions: d, compounding: compounding, reject: reject, slabs: slabs, held: false)
            let held = Self.paste(frames, start, dimensions: d, compounding: compounding, reject: reject, slabs: slabs, held: true, kernels: kernels)
            if generic != held {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record("trial \(trial): dimensions \(d), slabs \(slabs): held-cell walker differs from the generic walker")
                }
            }
            pasted += generic.pixels
        }
        #expect(mismatches == 0)
        // The trials paste something (a guard against mappings that all miss the grid).
        #expect(pasted > 10_000)
    }
}
