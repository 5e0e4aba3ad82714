import ArgumentParser
import Reconstruction

/// `--interpolation` values.
enum InterpolationChoice: String, ExpressibleByArgument, CaseIterable {
    case nearest, linear
    var value: ReconstructionSettings.Interpolation { self == .nearest ? .nearestNeighbor : .linear }
}
