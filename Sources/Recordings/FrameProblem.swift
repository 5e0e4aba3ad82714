import Geometry

/// Why one frame's field could not be used. The frame stays in the sequence (as IGSIO keeps it);
/// the transform concerned is marked INVALID, so a reconstruction skips and counts the frame.
public enum FrameProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// `<name>Transform` has no `<name>TransformStatus` field (IGSIO then leaves the transform out).
    case transformWithoutStatus(name: String)
    /// The transform holds NaN or infinity.
    case transformNotFinite(name: String)
    /// The transform is not 16 numbers.
    case transformUnreadable(name: String)
    /// The transform's last row is not 0 0 0 1, or its 3x3 part is not a rotation.
    case transformNotRigid(name: String)
    /// `Timestamp` is not a number (IGSIO keeps 0).
    case timestampUnreadable(value: String)
    /// A separate tracker recording has no usable pose at the frame's time.
    case trackerPoseUnavailable(reason: String)

    public var description: String {
        switch self {
        case let .transformWithoutStatus(name): return "\(name)Transform has no \(name)TransformStatus field"
        case let .transformNotFinite(name): return "\(name)Transform holds NaN or infinity"
        case let .transformUnreadable(name): return "\(name)Transform is not 16 numbers"
        case let .transformNotRigid(name): return "\(name)Transform is not a rigid transform"
        case let .timestampUnreadable(value): return "Timestamp '\(value)' is not a number"
        case let .trackerPoseUnavailable(reason): return reason
        }
    }

    /// Whether this is the timestamp problem (which does not make the frame's pose invalid).
    public var isTimestamp: Bool {
        if case .timestampUnreadable = self { return true }
        return false
    }

    /// Largest deviation of a tracker rotation from orthonormality that is still accepted
    /// (PLUS writes six significant digits; every PLUS test recording is below 1e-4).
    public static let rigidityTolerance = 1e-2

    /// Parses a per-frame transform value (16 numbers, row-major) and checks it: finite, last
    /// row 0 0 0 1, rotation part orthonormal with determinant +1.
    public static func check(transformValue value: String, name: String) -> Result<Transform3D, FrameProblem> {
        var numbers: [Double] = []
        for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }) {
            guard let d = Double(word) else { return .failure(.transformUnreadable(name: name)) }
            numbers.append(d)
        }
        guard numbers.count == 16 else { return .failure(.transformUnreadable(name: name)) }
        guard numbers.allSatisfy(\.isFinite) else { return .failure(.transformNotFinite(name: name)) }
        let m = Transform3D(rowMajor: numbers)
        return m.isRigid(tolerance: rigidityTolerance) ? .success(m) : .failure(.transformNotRigid(name: name))
    }
}
