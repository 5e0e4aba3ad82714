import ArgumentParser
import Reconstruction

/// `--compounding` values.
enum CompoundingChoice: String, ExpressibleByArgument, CaseIterable {
    case latest, mean, maximum, importanceMask = "importance-mask"
    var value: ReconstructionSettings.CompoundingMode {
        switch self {
        case .latest: return .latest
        case .mean: return .mean
        case .maximum: return .maximum
        case .importanceMask: return .importanceMask
        }
    }
}
