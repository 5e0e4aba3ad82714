import Imaging
import Testing
@testable import Reconstruction

/// The STICK kernel (row tables for sticks up to `StickEvaluator.longestTabulatedStick`, walks
/// beyond) against a line-by-line port of IGSIO's `FillHolesInVolumeElement::applySticks`, on
/// random volumes of several densities: every hole must come out identical.
@Suite struct StickEvaluatorTests {
    /// IGSIO's applySticks for the hole `c`, transcribed: walk forward at most limit - 1 steps,
    /// then backward at most limit - forward - 1, score 1 / (voxels x length), keep each
    /// stick's value in the voxel type, then average the best `use` sticks by score.
    static func igsioStick<S: HoleFillingVoxel>(_ c: SIMD3<Int>, input: [S], acc: [UInt16], d: SIMD3<Int>, limit: Int, use: Int) -> S? {
        func known(_ p: SIMD3<Int>) -> Int? {
            guard p.x >= 0, p.y >= 0, p.z >= 0, p.x < d.x, p.y < d.y, p.z < d.z else { return nil }
            let i = (p.z * d.y + p.y) * d.x + p.x
            return acc[i] != 0 ? i : nil
        }
        func inside(_ p: SIMD3<Int>) -> Bool { p.x >= 0 && p.y >= 0 && p.z >= 0 && p.x < d.x && p.y < d.y && p.z < d.z }
        var values = [S](repeating: S.converted(0), count: 13), weights = [Double](repeating: 0, count: 13)
        for (i, s) in HoleFillingKernel.sticks.enumerated() {
            var p = c, fwdTrav = 0, fwdVal = 0.0, valid = false
            var j = 1
            while j + 1 <= limit {
                p &+= s
                if !inside(p) { break }
                if let k = known(p) { fwdTrav = j; fwdVal = input[k].doubleValue; valid = true; break }
                j += 1
            }
            guard valid else { weights[i] = 0; continue }
            p = c; valid = false
            var rvsTrav = 0, rvsVal = 0.0
            j = 1
            while j + fwdTrav + 1 <= limit {
                p &-= s
                if !inside(p) { break }
                if let k = known(p) { rvsTrav = j; rvsVal = input[k].doubleValue; valid = true; break }
                j += 1
            }
            guard valid else { weights[i] = 0; continue }
            let totalDistance = Double(fwdTrav + rvsTrav + 1)
            let weightFwd = Double(rvsTrav + 1) / totalDistance
            let weightRvs = 1.0 - weightFwd
            let realDistance = totalDistance * Double(s.x * s.x + s.y * s.y + s.z * s.z).squareRoot()
            weights[i] = 1.0 / realDistance
            values[i] = S.converted(weightRvs * rvsVal + weightFwd * fwdVal)
        }
        var used = 0, sumWeightedValues = 0.0, sumWeights = 0.0
        while used < use {
            var maxWeight = 0.0
            for w in weights where w > maxWeight { maxWeight = w }
            if maxWeight == 0 { break }
            for i in 0..<13 where weights[i] == maxWeight {
                sumWeightedValues += values[i].doubleValue * weights[i]
                sumWeights += weights[i]
                used += 1
                weights[i] = 0
            }
        }
        return sumWeights != 0 ? S.converted(sumWeightedValues / sumWeights) : nil
    }

    /// A random volume with about `percentKnown` % known voxels, values from `value`.
    static func randomVolume<S: VoxelScalar>(_ d: SIMD3<Int>, percentKnown: UInt64, seed: UInt64, value: (UInt64) -> S) -> (Volume<S>, [UInt16]) {
        let g = VolumeGeometry(dimensions: d, spacing: SIMD3(1, 1, 1), origin: .zero)
        var volume = Volume<S>(geometry: g)
        var acc = [UInt16](repeating: 0, count: g.voxelCount)
        var state = seed
        for i in 0..<g.voxelCount {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if (state >> 33) % 100 < percentKnown {
                volume.voxels[i] = value(state >> 40)
                acc[i] = UInt16(truncatingIfNeeded: (state >> 20) % 1000 + 1)
            }
        }
        return (volume, acc)
    }

    /// Holes whose filled value differs from the transcription (known voxels must be copied).
    static func mismatches<S: HoleFillingVoxel & Equatable>(_ volume: Volume<S>, _ acc: [UInt16], limit: Int, use: Int, threads: Int) -> Int {
        let element = HoleFillingElement(kind: .stick, stickLengthLimit: limit, numberOfSticksToUse: use)
        let filled = HoleFiller(elements: [element], numberOfThreads: threads).fill(volume, accumulation: acc)
        let d = volume.geometry.dimensions
        var wrong = 0
        for z in 0..<d.z { for y in 0..<d.y { for x in 0..<d.x {
            let i = (z * d.y + y) * d.x + x
            let expected = acc[i] != 0 ? volume.voxels[i]
                : igsioStick(SIMD3(x, y, z), input: volume.voxels, acc: acc, d: d, limit: limit, use: use) ?? S.converted(0)
            if filled.voxels[i] != expected { wrong += 1 }
        } } }
        return wrong
    }

    @Test(arguments: [3, 4, 9, 17, StickEvaluator.longestTabulatedStick, StickEvaluator.longestTabulatedStick + 1, 40])
    func matchesIgsioForEveryHole(limit: Int) {
        let d = SIMD3(37, 23, 29)
        for (percent, seed) in [(3, 1), (15, 2), (45, 3)] as [(UInt64, UInt64)] {
            let (bytes, acc) = Self.randomVolume(d, percentKnown: percent, seed: seed) { UInt8(truncatingIfNeeded: $0) }
            for use in [1, 2, 13] {
                #expect(Self.mismatches(bytes, acc, limit: limit, use: use, threads: 1) == 0, "UInt8, \(percent) % known, limit \(limit), \(use) sticks")
            }
            #expect(Self.mismatches(bytes, acc, limit: limit, use: 1, threads: 3) == 0, "UInt8, 3 threads, \(percent) % known, limit \(limit)")
            let (floats, accF) = Self.randomVolume(d, percentKnown: percent, seed: seed) { Float(Int($0 % 20001) - 10000) / 7 }
            #expect(Self.mismatches(floats, accF, limit: limit, use: 1, threads: 2) == 0, "Float, \(percent) % known, limit \(limit)")
            let (shorts, accS) = Self.randomVolume(d, percentKnown: percent, seed: seed) { Int16(truncatingIfNeeded: $0) }
            #expect(Self.mismatches(shorts, accS, limit: limit, use: 2, threads: 1) == 0, "Int16, \(percent) % known, limit \(limit)")
        }
    }

    /// A volume thinner than the sticks: edges stop the walks in every direction.
    @Test func thinVolumes() {
        for d in [SIMD3(1, 1, 9), SIMD3(2, 9, 1), SIMD3(9, 2, 3)] {
            let (volume, acc) = Self.randomVolume(d, percentKnown: 30, seed: 7) { UInt8(truncatingIfNeeded: $0) }
            for limit in [3, 9, 40] {
                #expect(Self.mismatches(volume, acc, limit: limit, use: 1, threads: 1) == 0, "\(d), limit \(limit)")
            }
        }
    }

    /// Rows of several 16-voxel blocks, not a multiple of 16: passes shifted past both ends of
    /// a row read its zero padding.
    @Test func rowsOfSeveralBlocks() {
        let d = SIMD3(150, 7, 9)
        for (percent, seed) in [(4, 11), (30, 12)] as [(UInt64, UInt64)] {
            let (volume, acc) = Self.randomVolume(d, percentKnown: percent, seed: seed) { UInt8(truncatingIfNeeded: $0) }
            for limit in [9, StickEvaluator.longestTabulatedStick] {
                #expect(Self.mismatches(volume, acc, limit: limit, use: 2, threads: 2) == 0, "\(percent) % known, limit \(limit)")
            }
        }
    }

    /// Known voxels in a short band that moves from row to row, and rows with none: the
    /// passes cover only the blocks where their source row's known voxels land, so holes
    /// beside, between and beyond the bands (and near the row ends) must still match.
    @Test func knownVoxelsInMovingBands() {
        let d = SIMD3(150, 11, 13)
        for (percent, seed) in [(20, 21), (70, 22)] as [(UInt64, UInt64)] {
            var (volume, acc) = Self.randomVolume(d, percentKnown: percent, seed: seed) { UInt8(truncatingIfNeeded: $0) }
            for z in 0..<d.z { for y in 0..<d.y {
                let start = (y * 37 + z * 53) % 160 - 5, length = (y + z) % 4 == 0 ? 0 : 3 + (y * z) % 14
                for x in 0..<d.x where x < start || x >= start + length {
                    let i = (z * d.y + y) * d.x + x
                    acc[i] = 0
                    volume.voxels[i] = 0
                }
            } }
            for limit in [3, 9, 17, StickEvaluator.longestTabulatedStick] {
                #expect(Self.mismatches(volume, acc, limit: limit, use: 2, threads: 2) == 0, "\(percent) % known, limit \(limit)")
            }
        }
    }
}
