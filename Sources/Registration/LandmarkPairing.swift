import Recordings

/// How fixed and moving landmarks are paired.
public enum LandmarkPairing: String, Sendable, CaseIterable {
    /// By label when every point of both lists has a distinct label and the labels agree, else by order.
    case auto
    /// Points with the same label (`F-1` with `F-1`).
    case label
    /// The i-th fixed point with the i-th moving point.
    case order

    /// The paired positions (LPS) and their names.
    public func pair(fixed: MarkupList, moving: MarkupList) throws(RegistrationError) -> (labels: [String], fixed: [SIMD3<Double>], moving: [SIMD3<Double>]) {
        let fixedLabels = fixed.points.map(\.label), movingLabels = moving.points.map(\.label)
        let labelled = { (l: [String]) in !l.contains("") && Set(l).count == l.count }
        var byLabel = self == .label
        if self == .auto { byLabel = labelled(fixedLabels) && labelled(movingLabels) && Set(fixedLabels) == Set(movingLabels) }
        if !byLabel {
            guard fixed.points.count == moving.points.count else {
                throw .pointCountMismatch(fixed: fixed.points.count, moving: moving.points.count)
            }
            let names = fixed.points.indices.map { i in fixedLabels[i].isEmpty ? "#\(i + 1)" : fixedLabels[i] }
            return (names, fixed.points.map(\.position), moving.points.map(\.position))
        }
        guard labelled(fixedLabels), labelled(movingLabels) else {
            throw .degenerate(model: "pairing by label", reason: "every point needs a distinct, non-empty label in both lists")
        }
        var movingByLabel: [String: SIMD3<Double>] = [:]
        for p in moving.points { movingByLabel[p.label] = p.position }
        let missing = fixedLabels.filter { movingByLabel[$0] == nil } + movingLabels.filter { !fixedLabels.contains($0) }
        guard missing.isEmpty else {
            throw .degenerate(model: "pairing by label", reason: "labels only in one list: " + missing.prefix(10).joined(separator: ", "))
        }
        return (fixedLabels, fixed.points.map(\.position), fixed.points.map { movingByLabel[$0.label]! })
    }
}
