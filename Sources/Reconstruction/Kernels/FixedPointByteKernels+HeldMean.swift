import Imaging

extension FixedPointByteKernels {
    /// Trilinear MEAN, FULL, 8-bit: the cell held in registers (`HeldFixedMeanWalker` of the
    /// target's kernel set, where it has one that gains); pixels outside regular cells take the
    /// per-corner `linearSegment` with `LinearMeanCorner`. The same voxel updates in the same
    /// order, bit for bit.
    static func linearMean(_ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>, _ t: PasteTarget<UInt8>,
                           _ z: ClosedRange<Int>) -> PasteCounts {
        guard let walker = t.kernels.fixedMeanWalker else { return linear(f, pixels, t, z, LinearMeanCorner.self) }
        return linearMean(walker, f, pixels, t, z)
    }

    /// `linearMean` with walker `W` (tests run every compiled copy).
    static func linearMean<W: HeldFixedMeanWalking>(_: W.Type, _ f: PreparedFrame<UInt8>, _ pixels: UnsafePointer<UInt8>,
                                                            _ t: PasteTarget<UInt8>, _ z: ClosedRange<Int>) -> PasteCounts {
        let step = f.mapping.xAxisFixed
        guard var walker = W(voxels: t.voxels, accumulation: t.accumulation, dimensions: t.dimensions, slab: z, xStep: step) else {
            return linear(f, pixels, t, z, LinearMeanCorner.self)
        }
        var counts = PasteCounts()
        var overflow = 0
        let strideY = t.dimensions.x, strideZ = t.dimensions.x * t.dimensions.y
        let out = t.voxels, acc = t.accumulation
        forEachSegment(f, pixels, t, z, linear: true) { _, c, rowPixels, s, e in
            let pixel = rowPixels + s, count = e &- s &+ 1
            let n = walker.paste(pixel, count: count, start: SIMD3(c.x, c.y, c.z)) { k in
                let ck = FixedPointArithmetic.Cursor(x: c.x &+ k &* step.x, y: c.y &+ k &* step.y, z: c.z &+ k &* step.z)
                return linearSegment(pixel + k, 1, ck, step, strideY, strideZ, z, out, acc, LinearMeanCorner.self, &overflow).updates
            }
            counts.pixels &+= n.pixels
            counts.voxelUpdates &+= n.updates
        }
        walker.finish()
        counts.accumulationOverflows = overflow
        return counts
    }
}
