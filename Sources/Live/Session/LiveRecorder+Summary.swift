import Foundation

extension LiveRecorder.Summary {
    /// The closing line `freehand record` prints.
    public var description: String {
        var line = "freehand: \(framesWritten) frames recorded"
        if framesWithoutPose > 0 { line += " (\(framesWithoutPose) without a valid pose)" }
        if framesNotWritten > 0 { line += ", \(framesNotWritten) NOT written (see the first error above)" }
        line += ", \(messagesDropped) dropped, \(trackerSamples) tracker samples"
        return line + String(format: " in %.1f s -> %@", seconds, path)
    }
}
