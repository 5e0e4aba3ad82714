/// Errors of one method over the scored frames, inside their clip/fan masks.
public struct MethodScore: Sendable, Codable {
    /// The method's name (`plus-nearest`, `dw`, ...).
    public var method: String
    /// Mean absolute and root-mean-square difference to the held-out frames' pixels, over the
    /// pixels the reconstruction covers.
    public var mae: Double
    public var rmse: Double
    /// Fraction of masked pixels the reconstruction does not cover (outside the volume or a
    /// voxel without a value).
    public var uncoveredFraction: Double
    /// Mean absolute and root-mean-square difference to the noise-free phantom (simulator
    /// recordings with a ground-truth file only).
    public var truthMAE: Double?
    public var truthRMSE: Double?
    /// Wall-clock seconds of the reconstruction.
    public var seconds: Double
    /// Pixels scored.
    public var pixels: Int
}

/// Running sums for a `MethodScore`.
struct ScoreSums {
    var absolute = 0.0, squared = 0.0, count = 0, uncovered = 0, masked = 0
    var truthAbsolute = 0.0, truthSquared = 0.0

    func score(method: String, seconds: Double, truth: Bool) -> MethodScore {
        let n = Double(max(1, count))
        return MethodScore(method: method, mae: absolute / n, rmse: (squared / n).squareRoot(),
                           uncoveredFraction: Double(uncovered) / Double(max(1, masked)),
                           truthMAE: truth ? truthAbsolute / n : nil, truthRMSE: truth ? (truthSquared / n).squareRoot() : nil,
                           seconds: seconds, pixels: count)
    }
}
