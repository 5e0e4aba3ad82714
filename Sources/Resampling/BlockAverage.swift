import Imaging
import Recordings

/// Anti-aliasing for strong downsampling: the input is averaged over blocks of `factors` voxels
/// while it streams in slice by slice, as SimpleITK's `BinShrinkImageFilter` does (the block's
/// centre becomes the new voxel centre; the last `dims % factor` voxels of an axis, which do not
/// fill a block, are dropped). A box filter of the output's footprint, then one interpolation.
enum BlockAverage {
    /// The reduced grid.
    static func geometry(_ g: VolumeGeometry, factors f: SIMD3<Int>) -> VolumeGeometry {
        let dims = SIMD3(max(1, g.dimensions.x / f.x), max(1, g.dimensions.y / f.y), max(1, g.dimensions.z / f.z))
        let shift = g.spacing * (SIMD3<Double>(f) - 1) / 2
        let d = g.direction
        let offset = SIMD3(d[0] * shift.x + d[1] * shift.y + d[2] * shift.z,
                           d[3] * shift.x + d[4] * shift.y + d[5] * shift.z,
                           d[6] * shift.x + d[7] * shift.y + d[8] * shift.z)
        return VolumeGeometry(dimensions: dims, spacing: g.spacing * SIMD3<Double>(f), origin: g.origin + offset, direction: d)
    }

    /// Reads every slice of `reader` once and returns the block-averaged volume (or, with factors
    /// 1, the volume itself as Float).
    static func read(_ reader: VolumeSlabReader, factors f: SIMD3<Int>) throws(RecordingError) -> Volume<Float> {
        let g = reader.geometry
        let out = geometry(g, factors: f)
        let nx = out.dimensions.x, ny = out.dimensions.y
        var voxels = [Float](repeating: 0, count: out.voxelCount)
        var slice: [Float] = []
        var sum = [Double](repeating: 0, count: nx * ny)
        let weight = 1 / Double(f.x * f.y * f.z)
        for k in 0..<(out.dimensions.z * f.z) {
            try reader.nextSlice(into: &slice)
            for j in 0..<(ny * f.y) {
                let row = j * g.dimensions.x, target = (j / f.y) * nx
                for i in 0..<(nx * f.x) { sum[target + i / f.x] += Double(slice[row + i]) }
            }
            if (k + 1) % f.z == 0 {
                let base = (k / f.z) * nx * ny
                for n in 0..<(nx * ny) { voxels[base + n] = Float(sum[n] * weight); sum[n] = 0 }
            }
        }
        return Volume(geometry: out, voxels: voxels)
    }
}
