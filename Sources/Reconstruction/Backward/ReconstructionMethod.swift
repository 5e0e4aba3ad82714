/// How voxels get their values: PLUS's forward splatting (the default, bit-exact with PLUS) or
/// one of Freehand's backward methods, which visit every voxel and look up the frames near it.
///
/// Chosen with `--method` or the `FreehandMethod` attribute of `<VolumeReconstruction>` (an
/// attribute of Freehand's own; PLUS ignores it).
public enum ReconstructionMethod: String, Sendable, CaseIterable {
    /// PLUS: every pixel is pasted into the voxel(s) around it, then holes are filled.
    case plus = "PLUS"
    /// Voxel nearest neighbour: each voxel takes the nearest pixel of the nearest frame within
    /// the maximum distance.
    case voxelNearestNeighbor = "VNN"
    /// Distance-weighted: each voxel is the weighted mean of its projections onto the k nearest
    /// frames within the maximum distance (Gaussian weights whose radius adapts to the nearest
    /// frame's distance, or inverse-distance weights).
    case distanceWeighted = "DW"
    /// Trajectory-based: each voxel is interpolated between its projections onto the two
    /// consecutive frames of the sweep whose planes bracket it; nearest frame where none does.
    case trajectory = "TRAJECTORY"

    /// Whether the method is one of Freehand's backward (voxel-driven) methods.
    public var isBackward: Bool { self != .plus }
}

/// The parameters of the backward methods (`FreehandMaxDistanceMm`, `FreehandNeighbours`,
/// `FreehandWeighting` attributes).
public struct BackwardParameters: Sendable, Equatable {
    /// Weights of the distance-weighted method.
    public enum Weighting: String, Sendable, CaseIterable {
        /// exp(-d^2 / 2 sigma^2), sigma the distance of the nearest frame (at least half a voxel).
        case gaussian = "GAUSSIAN"
        /// 1 / (d + a tenth of the voxel size).
        case inverseDistance = "INVERSE_DISTANCE"
    }

    /// Frames farther from a voxel than this (mm) are not used; nil = automatic: 1.5 x the
    /// largest gap between consecutive frames' planes, at least the voxel diagonal, at most 30 mm.
    public var maximumDistance: Double?
    /// Frames per voxel for the distance-weighted method (1...16).
    public var neighbours: Int
    /// Weights of the distance-weighted method.
    public var weighting: Weighting

    public init(maximumDistance: Double? = nil, neighbours: Int = 4, weighting: Weighting = .gaussian) {
        self.maximumDistance = maximumDistance
        self.neighbours = neighbours
        self.weighting = weighting
    }
}
