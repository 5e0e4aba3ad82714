/// A point of a resampled curve with its slice frame: the slice is the plane through `centre`
/// spanned by `xAxis` and `yAxis`, with `tangent` = xAxis x yAxis as its normal.
public struct CurveFrame: Sendable, Hashable {
    /// Arc length from the curve's start, mm.
    public var arcLength: Double
    /// The curve point (volume physical frame, mm).
    public var centre: SIMD3<Double>
    /// The unit tangent (direction of travel).
    public var tangent: SIMD3<Double>
    /// The slice's image x direction (unit).
    public var xAxis: SIMD3<Double>
    /// The slice's image y direction (unit); pictures show it pointing down, so `--up` is -yAxis.
    public var yAxis: SIMD3<Double>

    public init(arcLength: Double, centre: SIMD3<Double>, tangent: SIMD3<Double>, xAxis: SIMD3<Double>, yAxis: SIMD3<Double>) {
        self.arcLength = arcLength
        self.centre = centre
        self.tangent = tangent
        self.xAxis = xAxis
        self.yAxis = yAxis
    }
}
