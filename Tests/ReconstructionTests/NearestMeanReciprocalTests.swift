import Testing
@testable import Reconstruction

/// The nearest-neighbour MEAN of the double-precision kernels multiplies by a reciprocal instead
/// of dividing (`UInt8.meanNearest`); it must equal PLUS's integer division
/// (`weightedMeanInteger`, measured bit-identical to IGSIO) for every pixel, voxel value and
/// accumulation below the overflow threshold.
@Suite struct NearestMeanReciprocalTests {
    @Test func reciprocalMeanEqualsIntegerDivisionEverywhere() {
        var reciprocals = [UInt64](repeating: 0, count: 256)
        for k in 0..<256 { reciprocals[k] = (1 << 32) / UInt64(k + 1) + 1 }
        var mismatches = 0
        reciprocals.withUnsafeBufferPointer { table in
            // Whole-pixel accumulations 256 k, and a few others (the division path).
            let accumulations = Array(stride(from: 0, through: SlicePaster.accumulationThreshold, by: 256)) + [1, 255, 257, 1000, 65279]
            for a in accumulations {
                for input in 0...255 {
                    for output in 0...255 {
                        let i = UInt8(input), o = UInt8(output)
                        let fast = UInt8.meanNearest(input: i, output: o, accumulation: a, reciprocals: table.baseAddress!)
                        let exact = UInt8.weightedMeanInteger(input: i, inputWeight: 256, output: o, accumulation: a, newAccumulation: a + 256)
                        if fast != exact { mismatches += 1 }
                    }
                }
            }
        }
        #expect(mismatches == 0)
    }
}
