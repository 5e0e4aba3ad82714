import Geometry
import Reconstruction

extension ReconstructionSetup {
    /// Pairing rules for live streams: the setup's calibration and the frames images are
    /// placed by (tracker tolerances and the pose source at their defaults).
    public var pairing: FramePairer.Configuration {
        var p = FramePairer.Configuration()
        p.calibration = calibration
        p.imageFrame = imageToReferenceName.from
        p.referenceFrame = imageToReferenceName.to
        return p
    }

    /// The live grid: the grid `freehand reconstruct` computes for the recording `gridFrom`
    /// (the same computation, so live and offline volumes compare voxel for voxel), else the
    /// configured (or `--origin`/`--extent`) grid, else `automatic`.
    public func liveGrid(gridFrom: String?, automatic: LiveGrid) throws -> LiveGrid {
        if let gridFrom { return .fixed(try grid(ofRecording: gridFrom)) }
        if let g = try requiredSettings().configuredGrid() { return .fixed(g) }
        return automatic
    }
}

extension RecordingReplaySource {
    /// Streams `setup`'s recording with its calibration, images placed by its ImageToReference.
    public init(setup: ReconstructionSetup) throws {
        guard let path = setup.request.recording else { throw ReconstructionSetupError.noRecording }
        try self.init(path: path, calibration: setup.calibration, imageToReference: setup.imageToReferenceName)
        tracker = try setup.trackerTimeline()
    }
}
