import ArgumentParser
import Live

/// `--pose` values.
enum PoseChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, matrix, tracker
    var value: FramePairer.PoseSource {
        switch self {
        case .auto: return .auto
        case .matrix: return .matrix
        case .tracker: return .tracker
        }
    }
}
