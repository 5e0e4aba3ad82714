import Testing
@testable import Reconstruction

/// Trilinear MEAN with FULL optimization into 8-bit voxels (`FixedPointByteKernels.linearMean`,
/// the cell held in registers by `HeldFixedMeanWalker`) against the generic row walker with
/// the same fixed-point arithmetic (`SlicePaster.walk` with `FixedPointArithmetic`,
/// `LinearSplat` and `MeanCompounding`): every voxel, accumulation and count equal, on the
/// random cases of `LinearMeanWalkerTests` (axis components exactly 0, integral positions,
/// negative axes, rows crossing grid and slab edges, fan masks, 1 to 3 slabs, accumulations
/// around the overflow threshold, and runs of tens of pixels per cell), for every kernel set
/// this machine runs, as dispatched and with that set's compiled walker forced (the baseline
/// x86-64 set pastes with the per-corner kernel, `PasteKernelSet.fixedMeanWalker`).
@Suite struct FixedMeanWalkerTests {
    typealias Case = LinearMeanWalkerTests.Case

    enum Paster {
        case dispatched, walker, generic
    }

    /// Pastes every frame into every slab, by the dispatched kernel, the kernel set's compiled
    /// walker or the generic walker.
    static func run(_ c: Case, _ paster: Paster, kernels: PasteKernelSet) -> (voxels: [UInt8], accumulation: [UInt16], counts: PasteCounts) {
        var voxels = c.voxels
        var accumulation = c.accumulation
        var counts = PasteCounts()
        voxels.withSharedBuffer { out in
            accumulation.withSharedBuffer { acc in
                let target = PasteTarget(voxels: out, accumulation: acc, dimensions: c.dims, interpolation: .linear, compounding: .mean,
                                         fixedPoint: true, rejectBelow: nil, importance: nil, kernels: kernels)
                for f in c.frames {
                    let frame = PreparedFrame(pixels: f.pixels, width: c.width, height: c.height, mapping: f.mapping, mask: c.mask)
                    for slab in c.slabs {
                        switch paster {
                        case .dispatched: counts = counts + SlicePaster.paste(frame, into: target, zRange: slab)
                        case .generic: counts = counts + genericWalk(frame, target, slab)
                        case .walker:
                            counts = counts + frame.pixels.withUnsafeBufferPointer { p in
                                FixedPointByteKernels.linearMean(kernels.compiledFixedMeanWalker, frame, p.baseAddress!, target, slab)
                            }
                        }
                    }
                }
            }
        }
        return (voxels, accumulation, counts)
    }

    static func genericWalk(_ f: PreparedFrame<UInt8>, _ t: PasteTarget<UInt8>, _ slab: ClosedRange<Int>) -> PasteCounts {
        let a = FixedPointArithmetic(mapping: f.mapping, dimensions: t.dimensions, slab: slab)
        return f.pixels.withUnsafeBufferPointer { p in
            SlicePaster.walk(f, p.baseAddress!, nil, t, a, LinearSplat.self, MeanCompounding.self)
        }
    }

    static func check(longRuns: Bool, seeds: ClosedRange<UInt64>, kernels: PasteKernelSet) throws -> (mismatches: [UInt64], updates: Int, overflows: Int) {
        var mismatches: [UInt64] = []
        var updates = 0, overflows = 0
        for seed in seeds {
            let c = try LinearMeanWalkerTests.makeCase(seed: seed, longRuns: longRuns)
            let plain = run(c, .generic, kernels: kernels)
            for fast in [run(c, .dispatched, kernels: kernels), run(c, .walker, kernels: kernels)] {
                if fast.voxels != plain.voxels || fast.accumulation != plain.accumulation || fast.counts.pixels != plain.counts.pixels
                    || fast.counts.voxelUpdates != plain.counts.voxelUpdates
                    || fast.counts.accumulationOverflows != plain.counts.accumulationOverflows { mismatches.append(seed) }
            }
            updates += plain.counts.voxelUpdates
            overflows += plain.counts.accumulationOverflows
        }
        return (mismatches, updates, overflows)
    }

    @Test(arguments: LinearMeanWalkerTests.kernelSets) func heldCellEqualsGenericWalk(kernels: PasteKernelSet) throws {
        let r = try Self.check(longRuns: false, seeds: 1...600, kernels: kernels)
        #expect(r.mismatches.isEmpty, "cases differing from the generic walk: \(r.mismatches.prefix(10))")
        // The cases must exercise the paths they are there for.
        #expect(r.updates > 100_000 && r.overflows > 100)
    }

    /// Rows of tens of pixels per cell: the held cell's runs, its write-back on leaving it in
    /// either direction of every axis, and accumulations reaching the overflow threshold
    /// within a run (the per-corner form takes over).
    @Test(arguments: LinearMeanWalkerTests.kernelSets) func longRunsEqualGenericWalk(kernels: PasteKernelSet) throws {
        let r = try Self.check(longRuns: true, seeds: 1...400, kernels: kernels)
        #expect(r.mismatches.isEmpty, "cases differing from the generic walk: \(r.mismatches.prefix(10))")
        #expect(r.updates > 100_000 && r.overflows > 100)
    }
}
