import Geometry
import Imaging
import Reconstruction
import Recordings

/// How a live reconstruction chooses its output grid.
public enum LiveGrid: Sendable, Equatable {
    /// A fixed grid (from the command line, from `OutputOrigin`/`OutputExtent`, or the grid an
    /// offline reconstruction of a recording computes).
    case fixed(VolumeGeometry)
    /// PLUS's automatic extent over the first `frames` valid frames, grown by `margin` mm on
    /// every side (frames before the grid exists are kept and pasted once it does).
    case automatic(frames: Int, margin: Double)

    /// The settings' configured grid if they fix one, else `fallback`.
    public static func from(settings: ReconstructionSettings, fallback: LiveGrid) throws -> LiveGrid {
        if let g = try settings.configuredGrid() { return .fixed(g) }
        return fallback
    }

    /// The grid an offline `RecordingReconstruction` of `path` computes with these settings and
    /// calibration (so a live run can be compared voxel for voxel).
    public static func offlineGrid(of path: String, settings: ReconstructionSettings,
                                   calibration: TransformRepository) throws -> VolumeGeometry {
        if let g = try settings.configuredGrid() { return g }
        var builder = OutputGridBuilder(settings: settings)
        var reader = try SequenceReader(path: path)
        var i = 0
        let step = max(1, settings.skipInterval)
        while let frame = try reader.next() {
            defer { i += 1 }
            guard i % step == 0 else { continue }
            let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: settings.imageToReferenceName)
            builder.add(width: frame.image.width, height: frame.image.height, imageToReference: m)
        }
        return try builder.geometry()
    }
}
