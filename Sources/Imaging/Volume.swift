/// A scalar type a volume can hold.
public protocol VoxelScalar: Sendable, Equatable {
    /// The file type tag.
    static var scalarType: ScalarType { get }
    /// The zero value.
    static var zero: Self { get }
    /// Conversion to Double for statistics and comparisons.
    var doubleValue: Double { get }
}

extension UInt8: VoxelScalar {
    public static var scalarType: ScalarType { .uint8 }
    public var doubleValue: Double { Double(self) }
}
extension UInt16: VoxelScalar {
    public static var scalarType: ScalarType { .uint16 }
    public var doubleValue: Double { Double(self) }
}
extension Int16: VoxelScalar {
    public static var scalarType: ScalarType { .int16 }
    public var doubleValue: Double { Double(self) }
}
extension Float: VoxelScalar {
    public static var scalarType: ScalarType { .float32 }
    public var doubleValue: Double { Double(self) }
}
extension Double: VoxelScalar {
    public static var scalarType: ScalarType { .float64 }
    public var doubleValue: Double { self }
}

/// A 3-D grid of scalars with its geometry; voxels stored x fastest, then y, then z.
public struct Volume<Scalar: VoxelScalar>: Sendable {
    /// Where the voxels are.
    public var geometry: VolumeGeometry
    /// The voxel values, `geometry.voxelCount` of them.
    public var voxels: [Scalar]

    /// A zero-filled volume.
    public init(geometry: VolumeGeometry) {
        self.geometry = geometry
        self.voxels = [Scalar](repeating: .zero, count: geometry.voxelCount)
    }

    /// A volume over existing values.
    public init(geometry: VolumeGeometry, voxels: [Scalar]) {
        precondition(voxels.count == geometry.voxelCount, "volume needs \(geometry.voxelCount) voxels, got \(voxels.count)")
        self.geometry = geometry
        self.voxels = voxels
    }

    /// The value at voxel (i, j, k).
    public subscript(i: Int, j: Int, k: Int) -> Scalar {
        get { voxels[geometry.index(i, j, k)] }
        set { voxels[geometry.index(i, j, k)] = newValue }
    }
}
