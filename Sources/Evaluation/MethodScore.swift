/// Errors of one method over the scored frames, inside their clip/fan masks.
public struct MethodScore: Sendable, Codable {
    /// The method's name (`plus-nearest`, `dw`, ...).
    public var method: String
    /// Mean absolute and root-mean-square difference to the held-out frames' pixels, over the
    /// pixels the reconstruction covers; nil when it covers none.
    public var mae: Double?
    public var rmse: Double?
    /// Fraction of masked pixels the reconstruction does not cover (outside the volume or a
    /// voxel without a value).
    public var uncoveredFraction: Double
    /// Mean absolute and root-mean-square difference to the noise-free phantom (simulator
    /// recordings with a ground-truth file only).
    public var truthMAE: Double?
    public var truthRMSE: Double?
    /// MAE over the pixels every compared method covers (the fair comparison when coverage differs).
    public var commonMAE: Double?
    /// The same against the noise-free phantom.
    public var commonTruthMAE: Double?
    /// Wall-clock seconds of the reconstruction.
    public var seconds: Double
    /// Pixels scored.
    public var pixels: Int
}

/// Running sums for a `MethodScore`.
struct ScoreSums {
    var absolute = 0.0, squared = 0.0, count = 0, uncovered = 0, masked = 0
    var truthAbsolute = 0.0, truthSquared = 0.0
    /// Per masked pixel of every scored frame, in order: the absolute error and the absolute
    /// error to the truth (NaN where not covered).
    var errors: [Float] = []
    var truthErrors: [Float] = []

    func score(method: String, seconds: Double, truth: Bool) -> MethodScore {
        let n = Double(count), any = count > 0
        return MethodScore(method: method, mae: any ? absolute / n : nil, rmse: any ? (squared / n).squareRoot() : nil,
                           uncoveredFraction: Double(uncovered) / Double(max(1, masked)),
                           truthMAE: truth && any ? truthAbsolute / n : nil, truthRMSE: truth && any ? (truthSquared / n).squareRoot() : nil,
                           commonMAE: nil, commonTruthMAE: nil, seconds: seconds, pixels: count)
    }
}

extension MethodScore {
    /// Fills `commonMAE` (and `commonTruthMAE`) of every score with the MAE over the pixels all
    /// of them cover, from the per-pixel errors in `sums` (same order). A method that covers no
    /// pixel at all is left out of the intersection (and keeps nil).
    static func fillCommon(_ scores: inout [MethodScore], _ sums: [ScoreSums]) {
        guard let n = sums.first?.errors.count, sums.allSatisfy({ $0.errors.count == n }) else { return }
        var common = [Bool](repeating: true, count: n)
        for s in sums where s.count > 0 { for i in 0..<n where s.errors[i].isNaN { common[i] = false } }
        let count = common.reduce(0) { $0 + ($1 ? 1 : 0) }
        guard count > 0 else { return }
        for (m, s) in sums.enumerated() where s.count > 0 {
            var a = 0.0, t = 0.0
            for i in 0..<n where common[i] {
                a += Double(s.errors[i])
                if !s.truthErrors.isEmpty { t += Double(s.truthErrors[i]) }
            }
            scores[m].commonMAE = a / Double(count)
            if !s.truthErrors.isEmpty { scores[m].commonTruthMAE = t / Double(count) }
        }
    }
}
