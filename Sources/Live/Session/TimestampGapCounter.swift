/// Estimates frames lost upstream from gaps in image timestamps: an interval longer than 1.8
/// times the typical one counts `round(interval / typical) - 1` missing frames.
struct TimestampGapCounter {
    private var last: Double?
    private var typical: Double?

    mutating func add(_ t: Double) -> Int {
        defer { last = t }
        guard let last, t > last else { return 0 }
        let dt = t - last
        guard let typ = typical else { typical = dt; return 0 }
        if dt > 1.8 * typ {
            return max(0, Int((dt / typ).rounded()) - 1)
        }
        typical = 0.9 * typ + 0.1 * dt
        return 0
    }
}
