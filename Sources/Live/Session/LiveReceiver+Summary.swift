import Imaging

extension LiveReceiver.Summary {
    /// The closing lines `freehand listen` prints: counts (received = compounded + dropped +
    /// rejected, + skipped by SkipInterval), grid, coverage, output (and the last
    /// rejection's reason when frames were rejected).
    public var description: String {
        let s = status
        var line = "freehand: " + s.countsLine
        if let g = s.geometry { line += "; " + g.summary }
        line += String(format: ", coverage %.1f%%", s.coverage * 100)
        if let p = outputPath { line += " -> \(p)" } else { line += "; no volume (no frame with a valid pose)" }
        if let why = s.gridFrozen { line += "\nfreehand: the grid stopped growing (\(why)): frames outside it were clipped, counted above" }
        if let why = s.lastRejection, s.framesRejected > 0 { line += "\nfreehand: last rejection: \(why)" }
        return line
    }
}
