/// Which frames the held-out protocol removes: an even fraction (`25%`, `50%`, `75%`, `0%`)
/// or every k-th frame (`every-3`). The first and last valid frames are always kept, so every
/// removed frame lies inside the sweep.
public enum FrameRemoval: Sendable, Equatable, CustomStringConvertible {
    /// Remove this fraction (0 ..< 1) of the frames, evenly spaced; 0 removes none and scores
    /// frames that were also used.
    case fraction(Double)
    /// Remove every k-th frame (k >= 2).
    case everyK(Int)

    /// Parses `50%`, `0.5`, `every-3`; nil when malformed or out of range.
    public init?(_ text: String) {
        let t = text.lowercased()
        if t.hasPrefix("every-") || t.hasPrefix("every") {
            let digits = t.drop { !$0.isNumber }
            guard let k = Int(digits), k >= 2, k <= 1_000_000 else { return nil }
            self = .everyK(k)
            return
        }
        let percent = t.hasSuffix("%")
        guard let v = Double(percent ? String(t.dropLast()) : t), v.isFinite else { return nil }
        let f = percent ? v / 100 : v
        guard f >= 0, f < 1 else { return nil }
        self = .fraction(f)
    }

    public var description: String {
        switch self {
        case .fraction(let f): return "\(formatPercent(f)) removed"
        case .everyK(let k): return "every \(k)th removed"
        }
    }

    /// For `count` valid frames (in order), whether each is removed.
    public func removed(count: Int) -> [Bool] {
        var out = [Bool](repeating: false, count: count)
        guard count > 2 else { return out }
        for r in 1..<(count - 1) {
            switch self {
            case .fraction(let f):
                out[r] = (Double(r + 1) * f).rounded(.down) > (Double(r) * f).rounded(.down)
            case .everyK(let k):
                out[r] = r % k == k - 1
            }
        }
        return out
    }
}

func formatPercent(_ f: Double) -> String {
    let p = f * 100
    return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
}
