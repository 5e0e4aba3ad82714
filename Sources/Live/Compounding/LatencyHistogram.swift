import Foundation

/// Latency percentiles in constant memory: a logarithmic histogram from 1 µs to 1000 s with
/// 100 buckets per decade (bucket width about 2.3 %), so a session of any length stays flat.
public struct LatencyHistogram: Sendable {
    private static let perDecade = 100.0
    private static let lowest = 1e-6
    private var counts = [Int](repeating: 0, count: 901)
    /// Samples recorded.
    public private(set) var count = 0
    /// Largest sample (s).
    public private(set) var maximum = 0.0

    public init() {}

    /// Records one latency in seconds.
    public mutating func record(_ seconds: Double) {
        let s = max(seconds, Self.lowest)
        let i = min(counts.count - 1, Int((log10(s / Self.lowest) * Self.perDecade).rounded(.down)))
        counts[i] += 1
        count += 1
        maximum = max(maximum, seconds)
    }

    /// The `p`-th percentile (0...1) in seconds (upper edge of its bucket), nil when empty.
    public func percentile(_ p: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = max(1, Int((p * Double(count)).rounded(.up)))
        var seen = 0
        for (i, c) in counts.enumerated() {
            seen += c
            if seen >= rank { return min(maximum, Self.lowest * pow(10, Double(i + 1) / Self.perDecade)) }
        }
        return maximum
    }
}
