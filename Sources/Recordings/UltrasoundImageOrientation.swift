/// How a frame's pixels are laid out relative to the probe, in PLUS's two-letter code:
/// first letter `M`/`U` (marked side at +x or not), second `F`/`N` (far from the
/// transducer at +y, or near). A third letter (`A`, volumes' slice axis) is accepted.
public enum UltrasoundImageOrientation: String, Sendable, CaseIterable {
    case mf = "MF", mn = "MN", uf = "UF", un = "UN"

    /// Parses `MF`, `MFA`, `un`, ...; `nil` for anything else.
    public init?(code: String) {
        let letters = code.uppercased().prefix(2)
        guard let o = UltrasoundImageOrientation(rawValue: String(letters)) else { return nil }
        self = o
    }

    /// Whether turning this layout into MF flips x.
    public var flipsX: Bool { self == .uf || self == .un }
    /// Whether turning this layout into MF flips y.
    public var flipsY: Bool { self == .mn || self == .un }
}
