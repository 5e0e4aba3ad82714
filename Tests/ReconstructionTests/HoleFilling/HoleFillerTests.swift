import Foundation
import Imaging
import Recordings
import Testing
@testable import Reconstruction

/// Hand-checkable cases for each PLUS hole-filling kernel on a 5x5x5 volume whose only
/// hole of interest is the centre voxel (2, 2, 2).
@Suite struct HoleFillerTests {
    let geometry = VolumeGeometry(dimensions: SIMD3(5, 5, 5), spacing: SIMD3(1, 1, 1), origin: .zero)

    /// A volume and accumulation with the given known voxels; everything else is a hole.
    func sparse<S: VoxelScalar>(_ known: [(SIMD3<Int>, S, UInt16)]) -> (Volume<S>, [UInt16]) {
        var volume = Volume<S>(geometry: geometry)
        var acc = [UInt16](repeating: 0, count: geometry.voxelCount)
        for (p, v, a) in known {
            volume[p.x, p.y, p.z] = v
            acc[geometry.index(p.x, p.y, p.z)] = a
        }
        return (volume, acc)
    }

    func centre<S: VoxelScalar>(_ elements: [HoleFillingElement], _ known: [(SIMD3<Int>, S, UInt16)]) -> S {
        let (volume, acc) = sparse(known)
        return HoleFiller(elements: elements).fill(volume, accumulation: acc)[2, 2, 2]
    }

    @Test func nearestNeighborAveragesTheClosestShell() {
        let known: [(SIMD3<Int>, UInt8, UInt16)] = [(SIMD3(3, 2, 2), 100, 256), (SIMD3(1, 2, 2), 51, 256), (SIMD3(4, 2, 2), 255, 256)]
        // Range 1 finds two voxels: (100 + 51) / 2 = 75.5, truncated to 75; (4,2,2) is farther.
        #expect(centre([HoleFillingElement(kind: .nearestNeighbor, size: 5, minimumKnownVoxelsRatio: 0)], known) == 75)
        // 2 known of 3^3 = 0.074 is not above a ratio of 0.1: the kernel fails and the hole stays 0.
        #expect(centre([HoleFillingElement(kind: .nearestNeighbor, size: 3, minimumKnownVoxelsRatio: 0.1)], known) == 0)
        // Float voxels are not truncated.
        let floats: [(SIMD3<Int>, Float, UInt16)] = [(SIMD3(2, 3, 2), 1, 256), (SIMD3(2, 2, 1), 2, 256)]
        #expect(centre([HoleFillingElement(kind: .nearestNeighbor, size: 3, minimumKnownVoxelsRatio: 0)], floats) == 1.5)
    }

    @Test func gaussianWeightsByDistance() {
        let known: [(SIMD3<Int>, UInt8, UInt16)] = [(SIMD3(1, 2, 2), 90, 256), (SIMD3(3, 3, 2), 30, 768)]
        // Face neighbour weight exp(-1/2), edge neighbour exp(-1) (stdev 1):
        // (90 * 0.60653 + 30 * 0.36788) / (0.60653 + 0.36788) = 67.35 -> 67.
        let g = HoleFillingElement(kind: .gaussian, size: 3, stdev: 1, minimumKnownVoxelsRatio: 0)
        #expect(centre([g], known) == 67)
        // With accumulation weights 256 and 768: (90 * 0.60653 + 3 * 30 * 0.36788) / (0.60653 + 3 * 0.36788) = 51.28 -> 51.
        let ga = HoleFillingElement(kind: .gaussianAccumulation, size: 3, stdev: 1, minimumKnownVoxelsRatio: 0)
        #expect(centre([ga], known) == 51)
        // Float result equals the formula to single precision.
        let floats: [(SIMD3<Int>, Float, UInt16)] = known.map { ($0.0, Float($0.1), $0.2) }
        let e1 = exp(-0.5), e2 = exp(-1.0)
        let expected = (90 * e1 + 30 * e2) / (e1 + e2)
        #expect(abs(Double(centre([g], floats)) - expected) < 1e-4)
    }

    @Test func distanceWeightInverse() {
        let known: [(SIMD3<Int>, UInt8, UInt16)] = [(SIMD3(1, 2, 2), 90, 256), (SIMD3(3, 3, 3), 30, 256)]
        // (90 / 1 + 30 / sqrt 3) / (1 + 1 / sqrt 3) = 68.04 -> 68.
        #expect(centre([HoleFillingElement(kind: .distanceWeightInverse, size: 3, minimumKnownVoxelsRatio: 0)], known) == 68)
        // Ratio: 2 / 27 = 0.074 > 0.07 succeeds, > 0.08 fails.
        #expect(centre([HoleFillingElement(kind: .distanceWeightInverse, size: 3, minimumKnownVoxelsRatio: 0.07)], known) == 68)
        #expect(centre([HoleFillingElement(kind: .distanceWeightInverse, size: 3, minimumKnownVoxelsRatio: 0.08)], known) == 0)
    }

    @Test func stickInterpolatesBetweenBothEnds() {
        // Along x: known 40 two steps back, 100 one step forward. PLUS weights the forward end
        // (rvs + 1) / (fwd + rvs + 1) = 3/4: 0.25 * 40 + 0.75 * 100 = 85.
        let xStick: [(SIMD3<Int>, UInt8, UInt16)] = [(SIMD3(0, 2, 2), 40, 256), (SIMD3(3, 2, 2), 100, 256)]
        #expect(centre([HoleFillingElement(kind: .stick, stickLengthLimit: 5, numberOfSticksToUse: 1)], xStick) == 85)
        // A limit of 3 leaves one step for the reverse search, which finds nothing.
        #expect(centre([HoleFillingElement(kind: .stick, stickLengthLimit: 3, numberOfSticksToUse: 1)], xStick) == 0)
        // A shorter y stick (10 below, 20 above: 1/3 * 10 + 2/3 * 20 = 16.67 -> 16, score 1/3)
        // beats the x stick (score 1/4) ...
        let both = xStick + [(SIMD3(2, 1, 2), 10, 256), (SIMD3(2, 3, 2), 20, 256)]
        #expect(centre([HoleFillingElement(kind: .stick, stickLengthLimit: 5, numberOfSticksToUse: 1)], both) == 16)
        // ... and two sticks average by score: (16 / 3 + 85 / 4) / (1/3 + 1/4) = 45.57 -> 45.
        #expect(centre([HoleFillingElement(kind: .stick, stickLengthLimit: 5, numberOfSticksToUse: 2)], both) == 45)
    }

    @Test func elementsAreTriedInOrderAndKnownVoxelsKept() {
        let known: [(SIMD3<Int>, UInt8, UInt16)] = [(SIMD3(0, 2, 2), 40, 256), (SIMD3(3, 2, 2), 100, 256)]
        let strict = HoleFillingElement(kind: .nearestNeighbor, size: 3, minimumKnownVoxelsRatio: 0.5)
        let stick = HoleFillingElement(kind: .stick, stickLengthLimit: 5, numberOfSticksToUse: 1)
        #expect(centre([strict, stick], known) == 85)
        #expect(centre([stick, strict], known) == 85)
        let (volume, acc) = sparse(known)
        let filled = HoleFiller(elements: [stick]).fill(volume, accumulation: acc)
        #expect(filled[0, 2, 2] == 40 && filled[3, 2, 2] == 100)
        // Degenerate parameters make a kernel fail, never crash.
        let degenerate = [HoleFillingElement(kind: .gaussian, size: -3, stdev: 1, minimumKnownVoxelsRatio: 0),
                          HoleFillingElement(kind: .distanceWeightInverse, size: 0, minimumKnownVoxelsRatio: 0),
                          HoleFillingElement(kind: .nearestNeighbor, size: 1, minimumKnownVoxelsRatio: 0),
                          HoleFillingElement(kind: .stick, stickLengthLimit: 1, numberOfSticksToUse: 1),
                          HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 0)]
        #expect(centre(degenerate, known) == 0)
        // Without elements nothing changes.
        #expect(HoleFiller(elements: []).fill(volume, accumulation: acc).voxels == volume.voxels)
    }

    /// The result does not depend on the number of threads: every voxel reads the input only.
    @Test func bitIdenticalForOneAndFourThreads() {
        let g = VolumeGeometry(dimensions: SIMD3(23, 19, 17), spacing: SIMD3(1, 1, 1), origin: .zero)
        var volume = Volume<UInt8>(geometry: g)
        var acc = [UInt16](repeating: 0, count: g.voxelCount)
        var state: UInt64 = 12345
        for i in 0..<g.voxelCount {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            if (state >> 33) % 4 == 0 {
                volume.voxels[i] = UInt8(truncatingIfNeeded: state >> 50)
                acc[i] = UInt16(truncatingIfNeeded: (state >> 20) % 1000 + 1)
            }
        }
        let elements = [
            HoleFillingElement(kind: .gaussian, size: 3, stdev: 0.6667, minimumKnownVoxelsRatio: 0.5),
            HoleFillingElement(kind: .gaussianAccumulation, size: 5, stdev: 1, minimumKnownVoxelsRatio: 0.3),
            HoleFillingElement(kind: .distanceWeightInverse, size: 3, minimumKnownVoxelsRatio: 0.2),
            HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 3),
            HoleFillingElement(kind: .nearestNeighbor, size: 7, minimumKnownVoxelsRatio: 0),
        ]
        let one = HoleFiller(elements: elements, numberOfThreads: 1).fill(volume, accumulation: acc)
        let four = HoleFiller(elements: elements, numberOfThreads: 4).fill(volume, accumulation: acc)
        let auto = HoleFiller(elements: elements).fill(volume, accumulation: acc)
        #expect(one.voxels == four.voxels)
        #expect(one.voxels == auto.voxels)
        // Every hole was filled by some kernel (the last one always finds a neighbour here).
        let stillEmpty = (0..<g.voxelCount).filter { acc[$0] == 0 && one.voxels[$0] == 0 }.count
        #expect(stillEmpty < g.voxelCount / 100)
    }

    /// The attribute sets of PLUS's sample configurations give the kernels the filler runs.
    @Test func readsPlusAttributes() throws {
        let g = try HoleFillingElement(attributes: ["Type": "gaussian", "Size": "3", "Stdev": "0.6667", "MinimumKnownVoxelsRatio": "0.50001"], index: 0)
        #expect(g == HoleFillingElement(kind: .gaussian, size: 3, stdev: 0.6667, minimumKnownVoxelsRatio: 0.50001))
        let s = try HoleFillingElement(attributes: ["Type": "STICK", "StickLengthLimit": "9", "NumberOfSticksToUse": "1"], index: 1)
        #expect(s.kind == .stick && s.stickLengthLimit == 9 && s.numberOfSticksToUse == 1)
        #expect(throws: ReconstructionError.self) { try HoleFillingElement(attributes: ["Type": "BLUR"], index: 0) }
    }
}

@Suite struct HoleFillingConfigurationTests {
    /// The `<HoleFilling>` list of a device-set configuration, as written by `freehand simulate`.
    @Test func readsTheHoleFillingListOfAConfiguration() throws {
        let xml = """
        <PlusConfiguration version="2.1">
          <VolumeReconstruction OutputSpacing="0.5 0.5 0.5" FillHoles="ON">
            <HoleFilling>
              <HoleFillingElement Type="GAUSSIAN" Size="3" Stdev="0.6667" MinimumKnownVoxelsRatio="0.50001" />
              <Comment />
              <HoleFillingElement Type="stick" StickLengthLimit="9" NumberOfSticksToUse="1" />
            </HoleFilling>
          </VolumeReconstruction>
        </PlusConfiguration>
        """
        let root = try ConfigElement.parse(Data(xml.utf8))
        let volumeReconstruction = try #require(root.first("VolumeReconstruction"))
        let elements = try HoleFillingElement.elements(in: volumeReconstruction)
        #expect(elements.count == 2)
        #expect(elements[0] == HoleFillingElement(kind: .gaussian, size: 3, stdev: 0.6667, minimumKnownVoxelsRatio: 0.50001))
        #expect(elements[1].kind == .stick && elements[1].stickLengthLimit == 9)
        let bad = ConfigElement(name: "HoleFillingElement", attributes: ["Type": "GAUSSIAN", "Size": "3"], line: 7)
        #expect(throws: ReconstructionError.self) { try HoleFillingElement(element: bad, index: 1) }
        #expect(throws: ReconstructionError.self) { try HoleFillingElement(element: ConfigElement(name: "Transform")) }
    }
}
