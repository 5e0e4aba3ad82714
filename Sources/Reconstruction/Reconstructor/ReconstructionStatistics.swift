/// What a reconstructor has done so far.
public struct ReconstructionStatistics: Sendable, Equatable {
    /// Frames pasted into the volume.
    public var framesPasted = 0
    /// Frames skipped because ImageToReference was missing or invalid (or the image status was invalid).
    public var framesSkippedInvalidTransform = 0
    /// Those frames counted by reason (`InvalidFrameReason` text), for the summary.
    public var invalidFrameReasons: [String: Int] = [:]
    /// Frames skipped because fan-angle detection found no image content.
    public var framesSkippedEmpty = 0
    /// Pixels that went into at least one voxel.
    public var pixelsPasted = 0
    /// Voxel updates (one per nearest-neighbour pixel, up to eight per linear pixel).
    public var voxelUpdates = 0
    /// Voxels whose accumulation reached the 16-bit limit (PLUS warns about these).
    public var accumulationOverflows = 0

    public init() {}
}

/// Why a frame was skipped as INVALID.
public enum InvalidFrameReason: Error, Sendable, Hashable, CustomStringConvertible {
    /// `ImageStatus` is not OK.
    case imageStatus
    /// The transforms of the frame and the calibration do not connect the two frames.
    case noPath(transform: String)
    /// A transform on the path has a status other than OK.
    case transformStatus(transform: String)
    /// A per-frame field could not be used (`FrameProblem`).
    case field(String)
    /// The transform maps the image onto a line or point (zero or parallel axes).
    case degenerate(transform: String)

    public var description: String {
        switch self {
        case .imageStatus: return "image status not OK"
        case let .noPath(t): return "no \(t) transform (the frame's transforms and the calibration do not connect)"
        case let .transformStatus(t): return "a transform on the \(t) path has a status other than OK"
        case let .field(problem): return problem
        case let .degenerate(t): return "\(t) is degenerate (image axes of zero length or parallel: check the calibration)"
        }
    }
}
