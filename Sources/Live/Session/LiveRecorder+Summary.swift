import Foundation

extension LiveRecorder.Summary {
    /// The closing line `freehand record` prints.
    public var description: String {
        var line = "freehand: \(framesWritten) frames recorded"
        if framesWithoutPose > 0 { line += " (\(framesWithoutPose) without a valid pose)" }
        if framesNotWritten > 0 { line += ", \(framesNotWritten) NOT written (see the first error above)" }
        line += ", \(trackerSamples) tracker samples"
        if nonFiniteTrackerSamples > 0 { line += " (\(nonFiniteTrackerSamples) non-finite, recorded INVALID)" }
        if framesIgnored > 0 { line += ", \(framesIgnored) images of other devices ignored" }
        return line + String(format: " in %.1f s -> %@", seconds, path)
    }
}
