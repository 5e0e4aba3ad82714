/// A transform name in the PLUS `FromToTo` convention, e.g. `ImageToProbe`.
///
/// Frame names are case-sensitive and start with an upper-case letter; the split is made at the
/// first occurrence of `To` that is followed by an upper-case letter.
public struct TransformName: Sendable, Hashable, CustomStringConvertible {
    /// The frame whose coordinates the transform takes.
    public var from: String
    /// The frame the transform maps into.
    public var to: String

    /// Creates a name from its two frames.
    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// Parses `AToB` (a trailing `Transform` is accepted, as in sequence-file field names).
    public init?(_ text: String) {
        var name = Substring(text)
        if name.hasSuffix("Transform") { name = name.dropLast("Transform".count) }
        let chars = Array(name)
        var i = 1
        while i + 2 < chars.count {
            if chars[i] == "T", chars[i + 1] == "o", chars[i + 2].isUppercase {
                from = String(chars[0..<i])
                to = String(chars[(i + 2)...])
                return
            }
            i += 1
        }
        return nil
    }

    /// The inverse name, `BToA`.
    public var inverted: TransformName { TransformName(from: to, to: from) }

    /// `AToB`.
    public var description: String { "\(from)To\(to)" }
}
