/// Why a reconstruction could not be set up from the files and options given.
public enum ReconstructionSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No configuration was given or found, and no `--spacing`.
    case noConfiguration(besideRecording: String?)
    /// The configuration has no `<VolumeReconstruction>` element, and no `--spacing` was given.
    case noVolumeReconstruction(config: String)
    /// A `--calibration` file holds no `<CoordinateDefinitions>` transforms.
    case calibrationWithoutTransforms(path: String)
    /// IMPORTANCE_MASK compounding without `ImportanceMaskFilename`.
    case importanceMaskNotNamed
    /// The importance mask file is in none of the places looked at.
    case importanceMaskNotFound(name: String, candidates: [String])
    /// The command needs a recording and none was given.
    case noRecording
    /// An option's value is out of range.
    case invalidOption(name: String, value: String, reason: String)

    public var description: String {
        switch self {
        case .noConfiguration(let beside):
            var text = "no configuration: pass --config PlusDeviceSet.xml (calibration and <VolumeReconstruction>)"
            if let beside { text += ", or put \(beside) beside the recording" }
            return text + ", or pass --spacing"
        case .noVolumeReconstruction(let config):
            return "\(config) has no <VolumeReconstruction> element; add one or pass --spacing"
        case .calibrationWithoutTransforms(let path):
            return "\(path) has no <CoordinateDefinitions> transforms"
        case .importanceMaskNotNamed:
            return "CompoundingMode IMPORTANCE_MASK needs ImportanceMaskFilename in <VolumeReconstruction>"
        case let .importanceMaskNotFound(name, candidates):
            return "importance mask \(name) not found (looked in: \(candidates.joined(separator: ", ")))"
        case .noRecording:
            return "no recording given"
        case let .invalidOption(name, value, reason):
            return value.isEmpty ? "\(name): \(reason)" : "\(name) \(value): \(reason)"
        }
    }
}
