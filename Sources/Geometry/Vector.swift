/// Euclidean vector helpers shared by every module that does 3-D math.
extension SIMD3 where Scalar == Double {
    /// Euclidean length.
    public var length: Double { (self * self).sum().squareRoot() }
    /// Dot product.
    public func dot(_ o: SIMD3<Double>) -> Double { (self * o).sum() }
    /// Cross product (right-handed).
    public func cross(_ o: SIMD3<Double>) -> SIMD3<Double> {
        SIMD3(y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x)
    }
    /// The unit vector along `self` (unchanged when zero).
    public var normalized: SIMD3<Double> { let l = length; return l > 0 ? self / l : self }
}

extension SIMD2 where Scalar == Double {
    /// Euclidean length.
    public var length: Double { (self * self).sum().squareRoot() }
}
