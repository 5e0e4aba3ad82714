/// Splits the output's z range into contiguous slabs of about equal work, one per worker.
///
/// Work per z slice is estimated from where each frame's pasteable pixels land; the split only
/// balances load — results do not depend on it.
enum SlabPartition {
    /// Up to `count` non-empty z ranges covering 0..<depth.
    static func slabs(depth: Int, count: Int, load: [Double]) -> [ClosedRange<Int>] {
        let n = max(1, min(count, depth))
        if n == 1 { return [0...(depth - 1)] }
        let total = load.reduce(0, +)
        guard total > 0 else {
            return (0..<n).map { i in (i * depth / n)...((i + 1) * depth / n - 1) }
        }
        var ranges: [ClosedRange<Int>] = []
        var start = 0
        var cumulative = 0.0
        for z in 0..<depth {
            cumulative += load[z]
            let remainingSlabs = n - ranges.count - 1
            let remainingSlices = depth - z - 1
            let target = total * Double(ranges.count + 1) / Double(n)
            if remainingSlabs > 0 && (cumulative >= target || remainingSlices == remainingSlabs) {
                ranges.append(start...z)
                start = z + 1
            }
        }
        ranges.append(start...(depth - 1))
        return ranges.filter { !$0.isEmpty }
    }
}
