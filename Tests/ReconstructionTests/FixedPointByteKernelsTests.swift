import Testing
@testable import Reconstruction

/// The exact arithmetic the 8-bit fixed-point kernels replace PLUS's divisions with, checked
/// against the division itself over every input it can receive (the kernels' outputs as a whole
/// are held to the IGSIO-identical golden hashes by SlicePasterGoldenTests).
@Suite struct FixedPointByteKernelsTests {
    /// Nearest-neighbour MEAN: `(v * m + o * n * m) >> 24 == (v * 256 + o * 256 n) / (256 (n + 1))`
    /// for every pixel v, voxel o and accumulation 256 n the reciprocals serve.
    @Test func meanReciprocalsEqualPlusDivision() {
        let table = ByteMeanReciprocals.table
        #expect(table.count == ByteMeanReciprocals.largestAccumulation / 256 + 1)
        var wrong = 0
        for n in 0..<table.count {
            let r = table[n], a = 256 * n
            for v in 0...255 {
                for o in 0...255 {
                    let plus = (v * 256 + o * a) / (a + 256)
                    if (v * r.multiplier + o * r.scaledMultiplier) >> ByteMeanReciprocals.shift != plus { wrong += 1 }
                }
            }
        }
        #expect(wrong == 0)
    }
}
