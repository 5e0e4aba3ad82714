/// Why an evaluation could not run.
public enum EvaluationError: Error, Sendable, CustomStringConvertible {
    /// Too few frames with a valid pose to remove any and keep the ends.
    case tooFewFrames(valid: Int, file: String)
    /// The removal leaves nothing to score.
    case nothingToScore(removal: String)
    /// No method was asked for.
    case noMethods
    /// The clip rectangle and fan leave no pixel of the scored frames.
    case noMaskedPixels(file: String)
    /// No method's volume covers any of the held-out pixels.
    case nothingCovered(methods: [String], removal: String)

    public var description: String {
        switch self {
        case let .tooFewFrames(valid, file):
            return "\(file): only \(valid) frames have a valid pose; the held-out protocol needs at least 3 (check --config and the transform names)"
        case let .nothingToScore(removal):
            return "\(removal) removes no frame of this recording; choose a larger fraction or a smaller k"
        case .noMethods:
            return "no reconstruction method to evaluate; name at least one with --method"
        case let .noMaskedPixels(file):
            return "\(file): the clip rectangle and fan of <VolumeReconstruction> leave no pixel of the held-out frames to score; check ClipRectangleOrigin/ClipRectangleSize and the fan attributes"
        case let .nothingCovered(methods, removal):
            return "no method (\(methods.joined(separator: ", "))) covers any held-out pixel with \(removal): the volumes are empty at the held-out poses; remove fewer frames, or raise FreehandMaxDistanceMm or the hole-filling kernels"
        }
    }
}
