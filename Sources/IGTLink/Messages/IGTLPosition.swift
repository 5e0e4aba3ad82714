/// A POSITION body. The wire format has three sizes: 12 bytes (position only), 24 bytes
/// (position and the quaternion's x, y, z; w is implied non-negative) and 28 bytes (all).
public struct IGTLPosition: Sendable, Hashable {
    /// Which of the three wire layouts to use.
    public enum Layout: Int, Sendable, Hashable {
        case positionOnly = 12, quaternion3 = 24, full = 28
    }
    /// x, y, z in mm.
    public var position: SIMD3<Float>
    /// Orientation quaternion (x, y, z, w); identity when the layout carries none.
    public var quaternion: SIMD4<Float>
    /// The wire layout.
    public var layout: Layout

    public init(position: SIMD3<Float>, quaternion: SIMD4<Float> = SIMD4(0, 0, 0, 1), layout: Layout = .full) {
        self.position = position
        self.quaternion = quaternion
        self.layout = layout
    }
}
