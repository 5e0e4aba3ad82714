import Geometry
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Multiplicative speckle: factors with mean 1 drawn from a fixed table of 65,536 samples of
/// a Rayleigh distribution (the amplitude statistics of fully developed speckle), blended
/// towards 1 so that their relative standard deviation is `relativeDeviation`.
struct SpeckleNoise: Sendable {
    /// 65,536 factors, indexed by 16 random bits.
    let factors: [Float]

    init(relativeDeviation: Double) {
        // A Rayleigh variable scaled to mean 1 has standard deviation sqrt(4/pi - 1) ~ 0.523.
        let rayleighDeviation = (4 / Double.pi - 1).squareRoot()
        let blend = relativeDeviation / rayleighDeviation
        var rng = SplitMix64(seed: 0x5EEC_1E5)
        var table = [Float](repeating: 1, count: 1 << 16)
        if relativeDeviation > 0 {
            for i in 0..<table.count {
                // Inverse CDF on stratified samples keeps the table's mean and spread exact.
                let u = (Double(i) + rng.nextUnit()) / Double(table.count)
                let r = (-2 * log(1 - u)).squareRoot() / (Double.pi / 2).squareRoot()
                table[i] = Float(1 + blend * (r - 1))
            }
            // Shuffle so that consecutive indices are not ordered.
            for i in stride(from: table.count - 1, to: 0, by: -1) {
                let j = Int(rng.next() % UInt64(i + 1))
                table.swapAt(i, j)
            }
        }
        factors = table
    }
}
