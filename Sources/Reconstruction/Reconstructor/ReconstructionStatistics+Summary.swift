extension ReconstructionStatistics {
    /// `119 frames used, 1 skipped (1 invalid transform)`.
    public var summary: String {
        let skipped = framesSkippedInvalidTransform + framesSkippedEmpty
        var text = "\(framesPasted) frames used, \(skipped) skipped"
        if framesSkippedInvalidTransform > 0 { text += " (\(framesSkippedInvalidTransform) invalid transform)" }
        return text
    }
}
