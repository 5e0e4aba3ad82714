/// How sure the imaging-region detection is, from three independent measures (each 0...1):
///
/// - `edgeContrast`: how solidly the data fills the pixels just inside the detected border that
///   sets the depth (top and bottom rows of a rectangle; the deep arc of a fan) while the pixels
///   just outside are black. A real imaging region has a sharp, filled border; phantom dots, a
///   water-tank line or a dark near field do not.
/// - `frameAgreement`: the fraction of frames whose own data starts and ends within 2 px of the
///   detected region (moving wires or a moving tank bottom change from frame to frame; the imaging
///   region does not).
/// - `fitQuality`: for a fan, the fraction of its outline on the two fitted side lines and the two
///   arcs (the fan-fit residual as a fraction); for a rectangle, how much of it has data.
///
/// A border at the frame's edge (data from the first row or to the last row) is not visible, so
/// its depth is unknown: confidence 0 with a reason.
public struct RegionConfidence: Sendable, Hashable, CustomStringConvertible {
    public var edgeContrast: Double
    public var frameAgreement: Double
    public var fitQuality: Double
    /// Why the region cannot be trusted, when it cannot (a border outside the frame, ...).
    public var reasons: [String]

    /// Below this, the spacing is refused.
    public static let threshold = 0.75

    public init(edgeContrast: Double, frameAgreement: Double, fitQuality: Double, reasons: [String] = []) {
        self.edgeContrast = edgeContrast
        self.frameAgreement = frameAgreement
        self.fitQuality = fitQuality
        self.reasons = reasons
    }

    /// A region given by hand (`--rows`, `--region`): trusted.
    public static let given = RegionConfidence(edgeContrast: 1, frameAgreement: 1, fitQuality: 1)

    /// The weakest measure (0 when a depth-setting border is not visible).
    public var value: Double {
        let v = min(edgeContrast, frameAgreement, fitQuality)
        return v.isFinite ? max(0, min(1, v)) : 0
    }

    /// Whether the region is certain enough to give a spacing.
    public var isConfident: Bool { value >= Self.threshold }

    public var description: String {
        "confidence \(formatted(value)) (edge contrast \(formatted(edgeContrast)), frames agreeing \(formatted(frameAgreement)), fit \(formatted(fitQuality)); needs \(formatted(Self.threshold)))"
    }
}
