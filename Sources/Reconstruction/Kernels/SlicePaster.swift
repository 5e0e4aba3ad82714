import Imaging
import PasteKernels

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
    /// Which compiled copy of the held-cell walkers pastes (the same bits either way).
    var kernels = PasteKernelSet.detected
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
///
/// One row walker serves every kernel: it is generic over the arithmetic (`PasteArithmetic`:
/// PLUS's FULL 14-bit fixed point or PARTIAL/NONE double precision), the interpolation (`Splat`)
/// and the compounding rule (`Compounding`), and `dispatch` calls it with concrete types so each
/// of the 16 combinations is compiled as its own loop. Double-precision nearest neighbour LATEST,
/// MEAN and MAXIMUM have their own walker (`nearestDouble`, holding a voxel in registers while
/// consecutive pixels round to it); so do double-precision linear LATEST and MAXIMUM into 8-bit
/// voxels (`linearDouble`, holding the cell's eight voxels while consecutive pixels fall in it)
/// and double-precision linear MEAN (`linearMeanDouble`, the cell held for 8-bit voxels).
///
/// Arithmetic follows PLUS's `vtkIGSIOPasteSliceIntoVolume` optimized paths. Known, deliberate
/// differences:
/// - FULL: each row's in-volume pixel range is solved exactly in integer arithmetic instead of
///   PLUS's iterative `vtkUltraFindExtent` search (same result on all PLUS reference volumes).
/// - IMPORTANCE_MASK: PLUS stops the rest of a row at the first zero-importance pixel (NN) and
///   reads neighbouring mask values for the trilinear corners (LINEAR); Freehand skips just that
///   pixel and uses the pixel's own mask value (double precision for LINEAR).
/// - Optimization NONE is computed like PARTIAL (double precision), OPENCL like FULL.
enum SlicePaster {
    // Computed, so they fold to constants in the kernels (a stored `static let` initialized
    // from another module is a lazily initialized global, read through a check each time).
    static var accumulationMultiplier: Int { VoxelAccumulation.multiplier }
    static var accumulationThreshold: Int { VoxelAccumulation.threshold }
    static var accumulationMaximum: Int { VoxelAccumulation.maximum }

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

    private static func dispatch<V: PasteVoxel>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?,
                                                 _ t: PasteTarget<V>, _ z: ClosedRange<Int>) -> PasteCounts {
        if let counts = FixedPointByteKernels.paste(f, pixels, imp, t, z) { return counts }
        if t.fixedPoint {
            let a = FixedPointArithmetic(mapping: f.mapping, dimensions: t.dimensions, slab: z)
            switch t.interpolation {
            case .nearestNeighbor: return dispatch(f, pixels, imp, t, a, NearestSplat.self)
            case .linear: return dispatch(f, pixels, imp, t, a, LinearSplat.self)
            }
        }
        let a = DoubleArithmetic(mapping: f.mapping, dimensions: t.dimensions, slab: z)
        switch (t.interpolation, t.compounding) {
        case (.nearestNeighbor, .latest): return nearestDouble(f, pixels, t, a, HeldLatest.self)
        case (.nearestNeighbor, .mean): return nearestDouble(f, pixels, t, a, HeldMean.self)
        case (.nearestNeighbor, .maximum): return nearestDouble(f, pixels, t, a, HeldMaximum.self)
        case (.linear, .latest), (.linear, .maximum): if let c = linearDouble(f, pixels, t, a) { return c }
        case (.linear, .mean): return linearMeanDouble(f, pixels, t, a)
        default: break
        }
        switch t.interpolation {
        case .nearestNeighbor: return dispatch(f, pixels, imp, t, a, NearestSplat.self)
        case .linear: return dispatch(f, pixels, imp, t, a, LinearSplat.self)
        }
    }

    @inline(__always)
    private static func dispatch<V: PasteVoxel, A: PasteArithmetic, S: Splat>(_ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>,
                                                                              _ imp: UnsafePointer<UInt8>?, _ t: PasteTarget<V>,
                                                                              _ a: A, _ s: S.Type) -> PasteCounts {
        switch t.compounding {
        case .latest: return walk(f, pixels, imp, t, a, s, LatestCompounding.self)
        case .mean: return walk(f, pixels, imp, t, a, s, MeanCompounding.self)
        case .maximum: return walk(f, pixels, imp, t, a, s, MaximumCompounding.self)
        case .importanceMask: return walk(f, pixels, imp, t, a, s, ImportanceCompounding.self)
        }
    }

    /// The row walker: every masked pixel of every row, in order, within the arithmetic's
    /// in-slab range, skipping rejected pixels, pasted by `S` with rule `C`.
    static func walk<V: PasteVoxel, A: PasteArithmetic, S: Splat, C: Compounding>(
        _ f: PreparedFrame<V>, _ pixels: UnsafePointer<V>, _ imp: UnsafePointer<UInt8>?, _ t: PasteTarget<V>,
        _ a: A, _: S.Type, _: C.Type
    ) -> PasteCounts {
        var counts = PasteCounts()
        let mask = f.mask
        guard mask.firstRow <= mask.lastRow else { return counts }
        let out = t.voxels, acc = t.accumulation
        let reject = t.rejectBelow
        for row in mask.firstRow...mask.lastRow {
            let (t0, t1) = S.range(a, row: row, width: f.width)
            if t0 > t1 { continue }
            let rowPixels = pixels + row * f.width
            let rowImportance = imp.map { $0 + row * f.width }
            mask.forEachSegment(row: row) { s, e in
                let s = max(s, t0), e = min(e, t1)
                guard s <= e else { return }
                var cursor = a.cursor(row: row, x: s)
                var pasted = 0, updates = 0, overflow = 0
                for x in s...e {
                    defer { a.advance(&cursor) }
                    let value = rowPixels[x]
                    if let reject, value.doubleValue < reject { continue }
                    let n = S.paste(a, cursor, value, rowImportance.map { Int($0[x]) } ?? 0, out, acc, C.self, &overflow)
                    if n > 0 { pasted &+= 1; updates &+= n }
                }
                counts.pixels += pasted
                counts.voxelUpdates += updates
                counts.accumulationOverflows += overflow
            }
        }
        return counts
    }
}
