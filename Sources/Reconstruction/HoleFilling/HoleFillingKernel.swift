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
/// outside the volume too), truncation of integer results, and the STICK kernel's rounding of
/// each stick's value to the voxel type before the sticks are averaged.
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
    func value<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>,
                               dimensions d: SIMD3<Int>) -> S? {
        switch element.kind {
        case .gaussian, .distanceWeightInverse:
            return weightedMean(at: c, input: input, accumulation: accumulation, dimensions: d, byAccumulation: false)
        case .gaussianAccumulation:
            return weightedMean(at: c, input: input, accumulation: accumulation, dimensions: d, byAccumulation: true)
        case .nearestNeighbor:
            return nearestNeighbor(at: c, input: input, accumulation: accumulation, dimensions: d)
        case .stick:
            return stick(at: c, input: input, accumulation: accumulation, dimensions: d)
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

    private func stick<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>,
                                       dimensions d: SIMD3<Int>) -> S? {
        let limit = element.stickLengthLimit
        guard limit >= 2 else { return nil }
        let count = Self.sticks.count
        // With one stick to use, only the sticks of the best score count: once a stick has
        // scored, a stick that cannot reach that score is not walked, and walks stop where the
        // stick's total length would score below it. Scores are computed by the same expression
        // either way, so the result is unchanged.
        let prune = element.numberOfSticksToUse == 1
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * count) { buffer -> S? in
            // buffer[0..<count]: each stick's value; buffer[count...]: its score (0 = unusable).
            let centre = (c.z * d.y + c.y) * d.x + c.x
            var best = 0.0
            for i in 0..<count {
                let s = Self.sticks[i]
                buffer[i] = 0
                buffer[count + i] = 0
                let length = Double(s.x * s.x + s.y * s.y + s.z * s.z).squareRoot()
                // The longest total (forward + reverse + 1 voxels) that can still score `best`.
                var maxTotal = limit
                if prune && best > 0 {
                    while maxTotal >= 3 && 1 / (Double(maxTotal) * length) < best { maxTotal -= 1 }
                    if maxTotal < 3 { continue }
                }
                let offset = (s.z * d.y + s.y) * d.x + s.x
                // Forward: at most limit - 1 steps; reverse: what is left of the limit (a forward
                // walk of limit - 1 leaves none, so limit - 2 forward steps decide the same).
                guard let forward = Self.walk(from: c, centre: centre, step: s, offset: offset, maxSteps: min(limit - 1, maxTotal - 2),
                                              dimensions: d, accumulation: accumulation),
                      let reverse = Self.walk(from: c, centre: centre, step: 0 &- s, offset: -offset,
                                              maxSteps: min(limit, maxTotal) - forward - 1, dimensions: d, accumulation: accumulation)
                else { continue }
                let forwardValue = input[centre + forward * offset].doubleValue
                let reverseValue = input[centre - reverse * offset].doubleValue
                let total = Double(forward + reverse + 1)
                let weightForward = Double(reverse + 1) / total
                let weightReverse = 1 - weightForward
                let score = 1 / (total * length)
                buffer[count + i] = score
                if score > best { best = score }
                // PLUS keeps each stick's value in the voxel type.
                buffer[i] = S.converted(weightReverse * reverseValue + weightForward * forwardValue).doubleValue
            }
            var used = 0
            var sumValues = 0.0, sumWeights = 0.0
            while used < element.numberOfSticksToUse {
                var best = 0.0
                for i in 0..<count where buffer[count + i] > best { best = buffer[count + i] }
                if best == 0 { break }
                for i in 0..<count where buffer[count + i] == best {
                    sumValues += buffer[i] * best
                    sumWeights += best
                    used += 1
                    buffer[count + i] = 0
                }
            }
            return sumWeights != 0 ? S.converted(sumValues / sumWeights) : nil
        }
    }

    /// Steps from `c` along `step` to the first known voxel, at most `maxSteps`; nil when none
    /// is found or the volume's edge comes first.
    @inline(__always)
    private static func walk(from c: SIMD3<Int>, centre: Int, step: SIMD3<Int>, offset: Int, maxSteps: Int,
                             dimensions d: SIMD3<Int>, accumulation: UnsafeBufferPointer<UInt16>) -> Int? {
        guard maxSteps >= 1 else { return nil }
        // Steps that stay inside the volume along each axis.
        var inside = maxSteps
        for axis in 0..<3 where step[axis] != 0 {
            let room = step[axis] > 0 ? d[axis] - 1 - c[axis] : c[axis]
            inside = min(inside, room)
        }
        guard inside >= 1 else { return nil }
        var index = centre
        for j in 1...inside {
            index += offset
            if accumulation[index] != 0 { return j }
        }
        return nil
    }
}
