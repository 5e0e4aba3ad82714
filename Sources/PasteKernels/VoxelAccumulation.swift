/// PLUS's voxel accumulation (`vtkIGSIOPasteSliceIntoVolume`): a pixel of weight w adds
/// w times `multiplier` to a voxel's 16-bit accumulation; past `threshold` the voxel counts as
/// overflowing and the accumulation stops at `maximum`.
public enum VoxelAccumulation {
    /// What a whole pixel (weight 1) adds.
    @inlinable public static var multiplier: Int { 256 }
    /// The largest accumulation that still takes a MEAN update as a mean.
    @inlinable public static var threshold: Int { 65279 }
    /// The largest stored accumulation.
    @inlinable public static var maximum: Int { 65535 }
}
