import Dispatch
import Imaging

extension Phantom {
    /// The ground-truth (noise-free) intensity sampled at every voxel centre of `geometry`
    /// (identity direction), computed in parallel over z-slices.
    public func groundTruth(on geometry: VolumeGeometry) -> Volume<Float> {
        var voxels = [Float](repeating: 0, count: geometry.voxelCount)
        let nx = geometry.dimensions.x, ny = geometry.dimensions.y, nz = geometry.dimensions.z
        voxels.withSharedBuffer { out in
            DispatchQueue.concurrentPerform(iterations: nz) { k in
                for j in 0..<ny {
                    // One row is a line; paint object intervals on it as a frame row is painted.
                    let origin = geometry.position(0, j, k)
                    let step = SIMD3(geometry.spacing.x, 0, 0)
                    var row = [Float](repeating: Float(background), count: nx)
                    paintRow(&row, origin: origin, step: step)
                    let base = geometry.index(0, j, k)
                    for i in 0..<nx { out[base + i] = row[i] }
                }
            }
        }
        return Volume(geometry: geometry, voxels: voxels)
    }

    /// The ground truth averaged over every voxel of `geometry` (identity direction): the mean
    /// of `samples`^3 evenly placed point samples per voxel, the ideal content of a voxel that
    /// holds the mean of what it covers. Computed in parallel over z slices.
    public func boxAveragedTruth(on geometry: VolumeGeometry, samples: Int = 3) -> Volume<Float> {
        let s = max(1, min(samples, 8))
        var voxels = [Float](repeating: 0, count: geometry.voxelCount)
        let nx = geometry.dimensions.x, ny = geometry.dimensions.y, nz = geometry.dimensions.z
        let sub = geometry.spacing / Double(s)
        let first = -geometry.spacing / 2 + sub / 2
        let scale = 1 / Float(s * s * s)
        voxels.withSharedBuffer { out in
            DispatchQueue.concurrentPerform(iterations: nz) { k in
                var row = [Float](repeating: 0, count: nx * s)
                var sums = [Float](repeating: 0, count: nx)
                for j in 0..<ny {
                    for i in 0..<nx { sums[i] = 0 }
                    for b in 0..<s {
                        for c in 0..<s {
                            let origin = geometry.position(0, j, k) + first + SIMD3(0, Double(b) * sub.y, Double(c) * sub.z)
                            for i in row.indices { row[i] = Float(background) }
                            paintRow(&row, origin: origin, step: SIMD3(sub.x, 0, 0))
                            for i in row.indices { sums[i / s] += row[i] }
                        }
                    }
                    let base = geometry.index(0, j, k)
                    for i in 0..<nx { out[base + i] = sums[i] * scale }
                }
            }
        }
        return Volume(geometry: geometry, voxels: voxels)
    }

    /// Paints each object's intensity over the samples `origin + i * step` of `row` that lie
    /// inside it, in painting order; samples are tested exactly at the interval ends so the
    /// result equals `intensity(at:)` at every sample.
    func paintRow(_ row: inout [Float], origin: SIMD3<Double>, step: SIMD3<Double>) {
        let n = row.count
        guard n > 0 else { return }
        for object in objects {
            guard let span = object.interval(origin: origin, step: step) else { continue }
            let lower = span.lowerBound, upper = span.upperBound
            if upper < -1 || lower > Double(n) { continue }
            var lo = lower <= 0 ? 0 : Int(lower.rounded(.up))
            var hi = upper >= Double(n - 1) ? n - 1 : Int(upper.rounded(.down))
            lo = max(0, min(lo, n - 1)); hi = max(-1, min(hi, n - 1))
            // Settle the ends with the exact containment test (rounding at the boundary).
            while lo > 0, object.contains(origin + Double(lo - 1) * step) { lo -= 1 }
            while lo <= hi, !object.contains(origin + Double(lo) * step) { lo += 1 }
            while hi < n - 1, hi >= lo, object.contains(origin + Double(hi + 1) * step) { hi += 1 }
            while hi >= lo, !object.contains(origin + Double(hi) * step) { hi -= 1 }
            guard lo <= hi else { continue }
            let value = Float(object.intensity)
            for i in lo...hi { row[i] = value }
        }
    }
}
