/// What a reconstructor has done so far.
public struct ReconstructionStatistics: Sendable, Equatable {
    /// Frames pasted into the volume.
    public var framesPasted = 0
    /// Frames skipped because ImageToReference was missing or invalid (or the image status was invalid).
    public var framesSkippedInvalidTransform = 0
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
