import Imaging

/// How a live reconstruction chooses its output grid.
public enum LiveGrid: Sendable, Equatable {
    /// A fixed grid (from the command line, from `OutputOrigin`/`OutputExtent`, or the grid an
    /// offline reconstruction of a recording computes).
    case fixed(VolumeGeometry)
    /// A working grid from PLUS's automatic extent over the first `frames` valid frames, grown
    /// by `margin` mm on every side (frames before it exists are pasted once it does), that grows
    /// whenever a frame reaches outside it; at the end, the frames are pasted into PLUS's exact
    /// automatic extent of every frame, the grid `freehand reconstruct` computes. Bounded by the
    /// memory budget (see `LiveCompounder`).
    case automatic(frames: Int, margin: Double)
}
