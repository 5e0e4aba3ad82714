/// How a volume is sampled between voxel centres.
///
/// The one definition of volume interpolation in Freehand (reslicing, resampling, frame
/// evaluation all use `VolumeSampler` with one of these).
public enum Interpolation: String, Sendable, Hashable, CaseIterable {
    /// The value of the nearest voxel centre (ties round up), as ITK's
    /// `NearestNeighborInterpolateImageFunction`.
    case nearest
    /// Trilinear interpolation of the 8 surrounding voxels, as ITK's
    /// `LinearInterpolateImageFunction` (neighbours beyond the last voxel are clamped to it).
    case linear
    /// Cubic B-spline interpolation with prefiltering (Unser 1993), as ITK's
    /// `BSplineInterpolateImageFunction` of order 3 and SimpleITK's `sitkBSpline`: the volume is
    /// first turned into B-spline coefficients (mirror boundary), so the result passes exactly
    /// through the voxel values, is twice continuously differentiable, and may overshoot the
    /// value range near edges (callers clamp to their scalar range).
    case cubic
}
