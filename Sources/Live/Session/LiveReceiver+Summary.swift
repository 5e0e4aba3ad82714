import Imaging

extension LiveReceiver.Summary {
    /// The closing lines `freehand listen` prints: counts, grid, coverage, output (and the last
    /// rejection's reason when frames were rejected).
    public var description: String {
        let s = status
        var line = "freehand: \(s.imagesReceived) images, \(s.framesCompounded) compounded, \(s.framesRejected) rejected, "
        line += "\(s.messagesDropped) dropped, \(s.framesMissing) missing"
        if let g = s.geometry { line += "; " + g.summary }
        line += String(format: ", coverage %.1f%%", s.coverage * 100)
        if let p = outputPath { line += " -> \(p)" } else { line += "; no volume (no frame with a valid pose)" }
        if let why = s.lastRejection, s.framesRejected > 0 { line += "\nfreehand: last rejection: \(why)" }
        return line
    }
}
