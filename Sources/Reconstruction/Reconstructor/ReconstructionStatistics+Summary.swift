extension ReconstructionStatistics {
    /// `119 frames used, 1 skipped (1 invalid transform) [1 x ProbeToTrackerTransform holds NaN or infinity]`.
    public var summary: String {
        let skipped = framesSkippedInvalidTransform + framesSkippedEmpty
        var text = "\(framesPasted) frames used, \(skipped) skipped"
        if framesSkippedInvalidTransform > 0 { text += " (\(framesSkippedInvalidTransform) invalid transform)" }
        if !invalidFrameReasons.isEmpty {
            text += " [" + invalidFrameReasons.sorted { $0.key < $1.key }.map { "\($0.value) x \($0.key)" }.joined(separator: "; ") + "]"
        }
        return text
    }
}
