/// How a frame's pixels are laid out relative to the probe, in PLUS's two-letter code:
/// first letter `M`/`U` (marked side at +x or not), second `F`/`N` (far from the
/// transducer at +y, or near). A third letter (`A`, volumes' slice axis) is accepted.
///
/// PLUS also has transposed layouts for RF-style data, where x runs along the beam:
/// `FM`, `FU`, `NM`, `NU` (first letter for x: far/near; second for y: marked/unmarked).
public enum UltrasoundImageOrientation: String, Sendable, CaseIterable {
    case mf = "MF", mn = "MN", uf = "UF", un = "UN"
    case fm = "FM", fu = "FU", nm = "NM", nu = "NU"

    /// Parses `MF`, `MFA`, `un`, `FM`, ...; `nil` for anything else.
    public init?(code: String) {
        let letters = code.uppercased().prefix(2)
        guard let o = UltrasoundImageOrientation(rawValue: String(letters)) else { return nil }
        self = o
    }

    /// Whether turning this layout into MF swaps x and y (done before the flips below).
    public var isTransposed: Bool { self == .fm || self == .fu || self == .nm || self == .nu }
    /// Whether turning this layout into MF flips x (after transposing, when `isTransposed`).
    public var flipsX: Bool { self == .uf || self == .un || self == .fu || self == .nu }
    /// Whether turning this layout into MF flips y (after transposing, when `isTransposed`).
    public var flipsY: Bool { self == .mn || self == .un || self == .nm || self == .nu }
}
