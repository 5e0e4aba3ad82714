/// Why a transform could not be read, computed or written. Each case names the file or option
/// and what is wrong with it.
public enum RegistrationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Fixed and moving point lists do not pair up.
    case pointCountMismatch(fixed: Int, moving: Int)
    /// Too few points (or too few in general position) for the model.
    case tooFewPoints(model: String, needed: Int, got: Int)
    /// The points do not determine the model (collinear, coplanar for affine, coincident).
    case degenerate(model: String, reason: String)
    /// A transform is not invertible where an inverse is needed.
    case singular(source: String)
    /// A transform file whose type or content this reader does not handle.
    case unknownTransformType(file: String, type: String)
    /// A transform file that cannot be parsed.
    case invalidFile(file: String, line: Int, reason: String)
    /// The landmarks of the fixed and moving files (`register --fixed/--moving`) do not pair up or determine the model.
    case landmarkFiles(fixed: String, moving: String, reason: String)
    /// The file could not be read or written.
    case io(file: String, message: String)

    public var description: String {
        switch self {
        case let .pointCountMismatch(f, m):
            return "the fixed list has \(f) points but the moving list has \(m); pair them by label or give lists of equal length"
        case let .tooFewPoints(model, needed, got):
            return "\(model) registration needs at least \(needed) point pairs, got \(got)"
        case let .degenerate(model, reason):
            return "\(model) registration is not determined by these points: \(reason)"
        case let .singular(source):
            return "\(source): the transform is singular (not invertible)"
        case let .unknownTransformType(file, type):
            return "\(file): unknown transform type '\(type)' (expected a 4x4 matrix text file, an ITK .tfm/.txt with AffineTransform, "
                + "MatrixOffsetTransformBase, VersorRigid3DTransform, Similarity3DTransform, TranslationTransform or "
                + "ThinPlateSplineKernelTransform, or config.xml:FromToTo)"
        case let .invalidFile(file, line, reason):
            return "\(file): line \(line): \(reason)"
        case let .landmarkFiles(fixed, moving, reason):
            return "\(fixed) (fixed) and \(moving) (moving): \(reason)"
        case let .io(file, message):
            return "\(file): \(message)"
        }
    }
}
