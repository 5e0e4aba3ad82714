/// Whether a tracked transform can be trusted, as PLUS records it (`OK`, `INVALID`, ...).
public enum TransformStatus: String, Sendable, Hashable, Comparable, CaseIterable {
    /// The tool was seen and the pose is valid.
    case ok = "OK"
    /// The tool was missing, out of view or otherwise untrustworthy.
    case invalid = "INVALID"

    /// Parses a status word as PLUS writes it; anything but `OK` (case-insensitive) is invalid,
    /// which includes PLUS's `MISSING`, `OUT_OF_VIEW`, `OUT_OF_VOLUME`, `REQ_TIMEOUT`.
    public init(plusText: String) {
        self = plusText.trimmingSpaces().uppercased() == "OK" ? .ok : .invalid
    }

    /// Orders `ok` before `invalid`, so `max` gives the worst status.
    public static func < (lhs: TransformStatus, rhs: TransformStatus) -> Bool {
        lhs == .ok && rhs == .invalid
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
