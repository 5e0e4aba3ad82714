extension Quaternion {
    /// The rotation about `v`'s direction by `|v|` radians (a rotation vector, axis times angle).
    public init(rotationVector v: SIMD3<Double>) {
        let angle = v.length
        // sin(angle/2)/angle, with its limit 1/2 at 0.
        let f = angle < 1e-12 ? 0.5 : _sin(angle / 2) / angle
        self.init(x: v.x * f, y: v.y * f, z: v.z * f, w: angle < 1e-12 ? 1 : _cos(angle / 2))
    }

    /// The rotation vector (unit axis times angle in radians, the angle in [0, pi]); zero for
    /// the identity.
    public var rotationVector: SIMD3<Double> {
        let q = w < 0 ? Quaternion(x: -x, y: -y, z: -z, w: -w) : self
        let v = SIMD3(q.x, q.y, q.z)
        let sinHalf = v.length
        if sinHalf < 1e-15 { return .zero }
        return v / sinHalf * (2 * _atan2(sinHalf, q.w))
    }
}
