extension ReconstructionSettings {
    /// Which pixels of a `width` x `height` frame the clip rectangle and the configured fan keep
    /// (row by row, x fastest): the pixels every method reads, and the pixels a held-out frame is
    /// scored on. Uses the configured fan angles (not per-frame auto-detection).
    public func pixelMask(width: Int, height: Int) -> [Bool] {
        let mask = PixelMask(width: width, height: height, settings: self, fanAnglesDeg: fanAnglesDeg)
        var keep = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            mask.forEachSegment(row: y) { s, e in
                for x in s...e { keep[y * width + x] = true }
            }
        }
        return keep
    }
}
