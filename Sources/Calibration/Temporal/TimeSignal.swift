/// A scalar signal sampled at increasing times (s).
public struct TimeSignal: Sendable, Hashable {
    public var timestamps: [Double]
    public var values: [Double]

    public init(timestamps: [Double] = [], values: [Double] = []) {
        precondition(timestamps.count == values.count, "a signal needs one value per timestamp")
        self.timestamps = timestamps
        self.values = values
    }

    public var count: Int { timestamps.count }
    public var isEmpty: Bool { timestamps.isEmpty }

    /// Peak-to-peak range of the values.
    public var peakToPeak: Double { (values.max() ?? 0) - (values.min() ?? 0) }

    /// Linear interpolation at `t`, clamped to the end values outside the sampled range
    /// (VTK's piecewise function with clamping, which PLUS resamples with).
    public func value(at t: Double) -> Double {
        guard let first = timestamps.first, let last = timestamps.last else { return 0 }
        if t <= first { return values[0] }
        if t >= last { return values[values.count - 1] }
        var lo = 0, hi = timestamps.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if timestamps[mid] <= t { lo = mid } else { hi = mid }
        }
        let span = timestamps[hi] - timestamps[lo]
        let f = span > 0 ? (t - timestamps[lo]) / span : 0
        return values[lo] + f * (values[hi] - values[lo])
    }

    /// Values normalised to zero mean and unit (sample) standard deviation computed over
    /// `range` of the indices; returns the values and the factor 1/stdev.
    static func normalized(_ v: [Double], over range: ClosedRange<Int>) -> (values: [Double], factor: Double) {
        let slice = v[range]
        let stats = MeanAndDeviation(slice)
        let factor = stats.standardDeviation < 1e-10 ? 1 : 1 / stats.standardDeviation
        return (v.map { ($0 - stats.mean) * factor }, factor)
    }
}
