/// Why a pose could not be decomposed or two poses could not be interpolated.
public enum PoseRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// An element is NaN or infinite.
    case nonFinite
    /// The bottom row is not (0, 0, 0, 1): a projective matrix is not a pose.
    case notAffine
    /// The 3x3 part is (numerically) singular: |det| below 1e-12 of its Frobenius norm cubed.
    case singular
    /// One pose is a reflection (det < 0) and the other is not; no continuous path joins them.
    case handednessMismatch
    /// The two stretches (scale and shear, e.g. pixel spacing) differ by this relative Frobenius
    /// norm, more than the tolerance: interpolating them would invent a spacing neither pose has.
    case stretchMismatch(relative: Double)
    /// The sample times are not finite and strictly increasing, or the requested time lies
    /// outside them.
    case invalidTimes

    public var description: String {
        switch self {
        case .nonFinite: "the matrix has a NaN or infinite element"
        case .notAffine: "the matrix's bottom row is not 0 0 0 1"
        case .singular: "the matrix's 3x3 part is singular"
        case .handednessMismatch: "one pose is mirrored (negative determinant) and the other is not"
        case .stretchMismatch(let r):
            "the two poses' scale/shear differ by \(formatNumber((r * 10000).rounded() / 100)) % (relative Frobenius norm)"
        case .invalidTimes: "the sample times are not increasing or do not bracket the requested time"
        }
    }
}
