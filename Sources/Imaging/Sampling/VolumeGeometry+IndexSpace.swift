import Geometry

extension VolumeGeometry {
    /// The map from continuous voxel indices (i, j, k) to physical millimetres:
    /// `origin + direction * (spacing * index)`, in the volume's own physical frame (LPS for
    /// files, the PLUS Reference frame for reconstructions; see `VolumeFile`).
    public var indexToPhysical: Transform3D {
        var m = [Double](repeating: 0, count: 9)
        for r in 0..<3 { for c in 0..<3 { m[r * 3 + c] = direction[r * 3 + c] * spacing[c] } }
        return Transform3D(linear: m, translation: origin)
    }

    /// The inverse of `indexToPhysical`, or nil when spacing is zero or the direction singular.
    public var physicalToIndex: Transform3D? { indexToPhysical.inverse }

    /// The physical position of continuous voxel index `index`.
    public func physicalPosition(ofIndex index: SIMD3<Double>) -> SIMD3<Double> {
        indexToPhysical.apply(index)
    }

    /// The smallest voxel spacing (mm).
    public var smallestSpacing: Double { min(spacing.x, spacing.y, spacing.z) }
}
