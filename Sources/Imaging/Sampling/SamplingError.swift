/// Why a volume cannot be sampled.
public enum SamplingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The voxel spacing is zero, negative or not finite, or the direction matrix is singular,
    /// so physical positions cannot be turned into voxel indices.
    case singularGeometry(spacing: SIMD3<Double>, direction: [Double])

    public var description: String {
        switch self {
        case let .singularGeometry(spacing, direction):
            return "volume geometry cannot be inverted: spacing \(spacing.x) \(spacing.y) \(spacing.z), direction \(direction.map { "\($0)" }.joined(separator: " ")); spacing must be positive and finite and the direction matrix invertible"
        }
    }
}
