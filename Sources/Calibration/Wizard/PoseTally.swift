import Geometry
import Recordings

/// Counts the frames a step could not use because a pose was missing or invalid, with the cause
/// (the first transform along the chain that is INVALID, or a chain that does not exist), so the
/// final error names it: "188 of 188 frames have no valid ProbeToTracker".
public struct PoseTally: Sendable, Hashable {
    /// The pose the step needs (e.g. ProbeToReference).
    public let needed: TransformName
    /// Frames seen, and those without a valid pose per cause.
    public private(set) var frames = 0
    public private(set) var causes: [String: Int] = [:]

    public init(needed: TransformName) { self.needed = needed }

    /// Frames without a valid pose.
    public var missing: Int { causes.values.reduce(0, +) }

    /// Resolves the pose of `frame`; nil (and the cause counted) when it has none.
    public mutating func pose(of frame: TrackedFrame, base: TransformRepository) -> Transform3D? {
        frames += 1
        let repo = frame.repository(base: base)
        do {
            let r = try repo.transform(needed)
            if r.status == .ok { return r.matrix }
            // The frame's own transforms on the path that are not OK name the cause.
            let onPath = Set(r.path)
            let bad = frame.transforms.filter { onPath.contains($0.key.from) && onPath.contains($0.key.to) && $0.value.status != .ok }
                .map(\.key.description).sorted()
            causes["no valid " + (bad.isEmpty ? needed.description : bad.joined(separator: " or ")), default: 0] += 1
        } catch {
            let have = frame.transforms.keys.map(\.description).sorted()
            causes["no \(needed) (the frames carry \(have.isEmpty ? "no transforms" : have.joined(separator: ", "))"
                   + "; the configuration has \(base.stored.keys.map(\.description).sorted().joined(separator: ", ")))", default: 0] += 1
        }
        return nil
    }

    /// "188 of 188 frames have no valid ProbeToTracker", the commonest cause first; nil when every frame had its pose.
    public var summary: String? {
        guard let (cause, n) = causes.max(by: { $0.value < $1.value }) else { return nil }
        var s = "\(n) of \(frames) frames have \(cause)"
        let others = missing - n
        if others > 0 { s += " (and \(others) more lack \(needed) for other reasons)" }
        return s
    }

    public mutating func reset() { frames = 0; causes = [:] }
}
