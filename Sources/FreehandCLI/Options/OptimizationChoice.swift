import ArgumentParser
import Reconstruction

/// `--optimization` values: PLUS's arithmetic (`full`: 14-bit fixed point; `partial`, `none`:
/// double precision).
enum OptimizationChoice: String, ExpressibleByArgument, CaseIterable {
    case full, partial, none
    var value: ReconstructionSettings.Optimization {
        switch self {
        case .full: .full
        case .partial: .partial
        case .none: .none
        }
    }
}
