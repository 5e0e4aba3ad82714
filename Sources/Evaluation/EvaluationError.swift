/// Why an evaluation could not run.
public enum EvaluationError: Error, Sendable, CustomStringConvertible {
    /// Too few frames with a valid pose to remove any and keep the ends.
    case tooFewFrames(valid: Int, file: String)
    /// The removal leaves nothing to score.
    case nothingToScore(removal: String)

    public var description: String {
        switch self {
        case let .tooFewFrames(valid, file):
            return "\(file): only \(valid) frames have a valid pose; the held-out protocol needs at least 3 (check --config and the transform names)"
        case let .nothingToScore(removal):
            return "\(removal) removes no frame of this recording; choose a larger fraction or a smaller k"
        }
    }
}
