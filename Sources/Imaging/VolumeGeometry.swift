/// The sampling grid of a volume: voxel (i, j, k) has its centre at
/// `origin + direction * (spacing * (i, j, k))`, in millimetres.
public struct VolumeGeometry: Sendable, Hashable {
    /// Voxels along x, y, z.
    public var dimensions: SIMD3<Int>
    /// Voxel size in mm along each axis.
    public var spacing: SIMD3<Double>
    /// Centre of voxel (0, 0, 0) in mm.
    public var origin: SIMD3<Double>
    /// Axis directions as columns of a row-major 3x3 matrix (identity for reconstructed volumes).
    public var direction: [Double]

    /// Creates a grid with identity direction unless one is given.
    public init(dimensions: SIMD3<Int>, spacing: SIMD3<Double>, origin: SIMD3<Double>,
                direction: [Double] = [1, 0, 0, 0, 1, 0, 0, 0, 1]) {
        self.dimensions = dimensions
        self.spacing = spacing
        self.origin = origin
        self.direction = direction
    }

    /// Total number of voxels.
    public var voxelCount: Int { dimensions.x * dimensions.y * dimensions.z }

    /// Linear index of voxel (i, j, k), x fastest.
    @inlinable
    public func index(_ i: Int, _ j: Int, _ k: Int) -> Int {
        (k * dimensions.y + j) * dimensions.x + i
    }

    /// The position in mm of voxel (i, j, k)'s centre (identity direction assumed).
    public func position(_ i: Int, _ j: Int, _ k: Int) -> SIMD3<Double> {
        origin + spacing * SIMD3(Double(i), Double(j), Double(k))
    }
}
