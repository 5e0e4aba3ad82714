import Foundation

extension LiveReplayer.Summary {
    /// The closing line `freehand replay` prints.
    public var description: String {
        "freehand: sent \(imagesSent) images and \(transformsSent) transforms in " + String(format: "%.1f s", seconds)
            + " (\(passes) pass\(passes == 1 ? "" : "es"), \(droppedForSlowClients) messages skipped for slow clients)"
    }
}
