import Reconstruction

/// A reconstruction the held-out protocol compares: PLUS's splatting (nearest or linear, MEAN
/// compounding, then hole filling) or one of Freehand's backward methods.
public enum EvaluationMethod: String, Sendable, CaseIterable {
    case plusNearest = "plus-nearest"
    case plusLinear = "plus-linear"
    case vnn
    case dw
    case trajectory

    /// The settings for this method, starting from the configuration's (grid, clip, fan,
    /// hole-filling kernels; STICK 9/1, PLUS's usual kernel, when none is configured).
    public func settings(from base: ReconstructionSettings) -> ReconstructionSettings {
        var s = base
        s.outputScalarMode = .float32
        switch self {
        case .plusNearest, .plusLinear:
            s.method = .plus
            s.interpolation = self == .plusNearest ? .nearestNeighbor : .linear
            s.compoundingMode = .mean
            s.fillHoles = true
            if s.holeFilling.isEmpty { s.holeFilling = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)] }
        case .vnn: s.method = .voxelNearestNeighbor
        case .dw: s.method = .distanceWeighted
        case .trajectory: s.method = .trajectory
        }
        return s
    }

    /// Whether this is one of PLUS's methods.
    public var isPlus: Bool { self == .plusNearest || self == .plusLinear }
}
