import Imaging

/// How a live reconstruction chooses its output grid.
public enum LiveGrid: Sendable, Equatable {
    /// A fixed grid (from the command line, from `OutputOrigin`/`OutputExtent`, or the grid an
    /// offline reconstruction of a recording computes).
    case fixed(VolumeGeometry)
    /// PLUS's automatic extent over the first `frames` valid frames, grown by `margin` mm on
    /// every side (frames before the grid exists are kept and pasted once it does).
    case automatic(frames: Int, margin: Double)
}
