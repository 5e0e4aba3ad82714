import ArgumentParser
import Reconstruction

/// `--method` values of `freehand reconstruct`.
enum MethodChoice: String, ExpressibleByArgument, CaseIterable {
    case plus, vnn, dw, trajectory

    var value: ReconstructionMethod {
        switch self {
        case .plus: return .plus
        case .vnn: return .voxelNearestNeighbor
        case .dw: return .distanceWeighted
        case .trajectory: return .trajectory
        }
    }
}
