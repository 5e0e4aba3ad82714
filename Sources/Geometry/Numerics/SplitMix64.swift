/// A small deterministic pseudo-random generator (SplitMix64), so simulated data are the same
/// on every machine and run and independent of thread scheduling.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator started from `seed`.
    public init(seed: UInt64) { state = seed }

    /// A generator for one item of a family (e.g. frame `a`, row `b`) under `seed`: the
    /// streams of different items do not overlap in practice.
    public init(seed: UInt64, _ a: UInt64, _ b: UInt64 = 0) {
        var s = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        let h1 = s.next() ^ (a &* 0xBF58_476D_1CE4_E5B9)
        var t = SplitMix64(seed: h1)
        state = t.next() ^ (b &* 0x94D0_49BB_1331_11EB)
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A uniform number in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * nextUnit()
    }
}
