#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Imaging

/// A `HoleFillingElement` with its weights precomputed, evaluated at one empty voxel.
///
/// Each kernel reproduces IGSIO's `FillHolesInVolumeElement` arithmetic, including its
/// single-precision weights, the strict `known / size^3 > ratio` test (the cube counts voxels
/// outside the volume too) and truncation of integer results. STICK is evaluated by each
/// thread's `StickEvaluator`.
struct HoleFillingKernel: Sendable {
    let element: HoleFillingElement
    /// Per-offset weights over the `size`^3 cube, z slowest (GAUSSIAN*, DISTANCE_WEIGHT_INVERSE).
    let weights: [Double]
    let minimumRatio: Double

    /// The 13 stick directions (one of each opposite pair of the 26 neighbours).
    static let sticks: [SIMD3<Int>] = [
        SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1),
        SIMD3(1, 1, 0), SIMD3(1, 0, 1), SIMD3(0, 1, 1),
        SIMD3(1, -1, 0), SIMD3(1, 0, -1), SIMD3(0, 1, -1),
        SIMD3(1, 1, 1),
        SIMD3(-1, 1, 1), SIMD3(1, -1, 1), SIMD3(-1, -1, 1),
    ]

    init(_ element: HoleFillingElement) {
        self.element = element
        // PLUS stores the ratio as a float.
        minimumRatio = Double(Float(element.minimumKnownVoxelsRatio))
        let size = max(element.size, 1)
        var w = [Double]()
        switch element.kind {
        case .gaussian, .gaussianAccumulation:
            let stdev = Float(element.stdev)
            let range = Double(Float(Double(size - 1) / 2))
            let divisor = Double(Float(Double(stdev * stdev) * 2.0))
            let termDivisor = Float(pow(2 * Double.pi, 1.5) * pow(Double(stdev), 3))
            let scale = Double(Float(1) / termDivisor)
            for z in 0..<size { for y in 0..<size { for x in 0..<size {
                let e = -(pow(Double(x) - range, 2) / divisor + pow(Double(y) - range, 2) / divisor
                          + pow(Double(z) - range, 2) / divisor)
                w.append(Double(Float(scale * exp(e))))
            } } }
        case .distanceWeightInverse:
            let range = Float(Double(size - 1) / 2)
            for z in 0..<size { for y in 0..<size { for x in 0..<size {
                let dx = Float(x) - range, dy = Float(y) - range, dz = Float(z) - range
                let d = (dx * dx + dy * dy + dz * dz).squareRoot()
                w.append(d != 0 ? Double(abs(Float(1) / d)) : 0)
            } } }
        case .nearestNeighbor, .stick:
            break
        }
        weights = w
    }

    /// The value for the empty voxel `c`, or `nil` when this kernel does not succeed there.
    /// `stick` is this kernel's `makeStickEvaluator(dimensions:known:)`, owned by the calling thread.
    func value<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>,
                               dimensions d: SIMD3<Int>, stick: StickEvaluator?) -> S? {
        switch element.kind {
        case .gaussian, .distanceWeightInverse:
            return weightedMean(at: c, input: input, accumulation: accumulation, dimensions: d, byAccumulation: false)
        case .gaussianAccumulation:
            return weightedMean(at: c, input: input, accumulation: accumulation, dimensions: d, byAccumulation: true)
        case .nearestNeighbor:
            return nearestNeighbor(at: c, input: input, accumulation: accumulation, dimensions: d)
        case .stick:
            return stick?.value(at: c, input: input, accumulation: accumulation)
        }
    }

    private var cubeVolume: Double { Double(element.size) * Double(element.size) * Double(element.size) }

    private func weightedMean<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>,
                                              dimensions d: SIMD3<Int>, byAccumulation: Bool) -> S? {
        let size = element.size
        guard size >= 1 else { return nil }
        let r = (size - 1) / 2
        var sumValues = 0.0, sumWeights = 0.0
        var known = 0
        for z in max(0, c.z - r)...min(d.z - 1, c.z + r) {
            for y in max(0, c.y - r)...min(d.y - 1, c.y + r) {
                let row = (z * d.y + y) * d.x
                let kernelRow = ((z - c.z + r) * size + (y - c.y + r)) * size - c.x + r
                for x in max(0, c.x - r)...min(d.x - 1, c.x + r) {
                    let a = accumulation[row + x]
                    if a == 0 { continue }
                    let kernelWeight = weights[kernelRow + x]
                    // PLUS multiplies the float weight by the accumulation in single precision.
                    let w = byAccumulation ? Double(Float(a) * Float(kernelWeight)) : kernelWeight
                    sumValues += input[row + x].doubleValue * w
                    sumWeights += w
                    known += 1
                }
            }
        }
        guard sumWeights != 0, Double(known) / cubeVolume > minimumRatio else { return nil }
        return S.converted(sumValues / sumWeights)
    }

    private func nearestNeighbor<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>,
                                                 dimensions d: SIMD3<Int>) -> S? {
        let maxRange = (element.size - 1) / 2
        guard maxRange >= 1 else { return nil }
        var sum = 0.0
        var known = 0
        // Grow the cube one shell at a time; the inner cube held no known voxel, so counting
        // the shell equals PLUS's count over the whole cube.
        for r in 1...maxRange {
            for z in max(0, c.z - r)...min(d.z - 1, c.z + r) {
                let zShell = abs(z - c.z) == r
                for y in max(0, c.y - r)...min(d.y - 1, c.y + r) {
                    let row = (z * d.y + y) * d.x
                    let onShell = zShell || abs(y - c.y) == r
                    let xStep = onShell ? 1 : 2 * r
                    var x = c.x - r
                    while x <= c.x + r {
                        if x >= 0, x < d.x, accumulation[row + x] != 0 {
                            sum += input[row + x].doubleValue
                            known += 1
                        }
                        x += xStep
                    }
                }
            }
            if known > 0 { break }
        }
        guard known > 0, Double(known) / cubeVolume > minimumRatio else { return nil }
        return S.converted(sum / Double(known))
    }

    /// The per-thread state of a STICK kernel; nil for the other kernels.
    /// `known` holds the accumulation's known voxels.
    func makeStickEvaluator(dimensions: SIMD3<Int>, known: StickEvaluator.KnownVoxels) -> StickEvaluator? {
        guard element.kind == .stick else { return nil }
        return StickEvaluator(limit: element.stickLengthLimit, sticksToUse: element.numberOfSticksToUse, dimensions: dimensions, known: known)
    }
}
