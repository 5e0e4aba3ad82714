#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

/// Cubic B-spline coefficients of a volume (Unser, "B-spline signal processing", 1993): a
/// causal and an anti-causal recursive filter with pole sqrt(3) - 2 along x, then y, then z,
/// with mirror-symmetric boundaries, as ITK's `BSplineDecompositionImageFilter` (tolerance
/// 1e-10 for the initial causal coefficient). Lines are filtered in Double and stored as Float.
@usableFromInline
enum BSplinePrefilter {
    static let pole = 3.0.squareRoot() - 2
    static let gain = (1 - pole) * (1 - 1 / pole)

    /// The coefficients of `voxels` (x fastest) on a `dimensions` grid, computed in parallel.
    static func coefficients<S: VoxelScalar>(_ voxels: [S], dimensions d: SIMD3<Int>) -> [Float] {
        var c = [Float](repeating: 0, count: voxels.count)
        guard !voxels.isEmpty else { return c }
        let strides = [1, d.x, d.x * d.y], lengths = [d.x, d.y, d.z]
        c.withSharedBuffer { out in
            for axis in 0..<3 {
                let n = lengths[axis], stride = strides[axis]
                // Lines along `axis` start at every voxel whose `axis` index is 0.
                let a = (axis + 1) % 3, b = (axis + 2) % 3
                let lineCount = lengths[a] * lengths[b]
                let chunks = min(lineCount, 64)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    var line = [Double](repeating: 0, count: n)
                    let first = chunk * lineCount / chunks, last = (chunk + 1) * lineCount / chunks
                    for l in first..<last {
                        let start = (l % lengths[a]) * strides[a] + (l / lengths[a]) * strides[b]
                        for i in 0..<n {
                            line[i] = axis == 0 ? voxels[start + i].doubleValue : Double(out[start + i * stride])
                        }
                        filter(&line)
                        for i in 0..<n { out[start + i * stride] = Float(line[i]) }
                    }
                }
            }
        }
        return c
    }

    /// Samples to coefficients in place along one line.
    static func filter(_ c: inout [Double]) {
        let n = c.count
        guard n > 1 else { return }
        let z = pole
        for i in 0..<n { c[i] *= gain }
        // Initial causal coefficient (mirror boundary).
        let horizon = Int((log(1e-10) / log(abs(z))).rounded(.up))
        if horizon < n {
            var zn = z, sum = c[0]
            for i in 1..<horizon { sum += zn * c[i]; zn *= z }
            c[0] = sum
        } else {
            var zn = z
            let iz = 1 / z
            var z2n = pow(z, Double(n - 1))
            var sum = c[0] + z2n * c[n - 1]
            z2n *= z2n * iz
            if n > 2 {
                for i in 1...(n - 2) { sum += (zn + z2n) * c[i]; zn *= z; z2n *= iz }
            }
            c[0] = sum / (1 - zn * zn)
        }
        for i in 1..<n { c[i] += z * c[i - 1] }
        // Initial anti-causal coefficient.
        c[n - 1] = (z / (z * z - 1)) * (z * c[n - 2] + c[n - 1])
        for i in stride(from: n - 2, through: 0, by: -1) { c[i] = z * (c[i + 1] - c[i]) }
    }
}
