import Imaging

/// Finds the real cause of an empty or nearly empty reconstruction, in the words a user needs:
/// the clip rectangle or fan that holds no pixel, frames that are all INVALID (with their
/// reasons), pixels all rejected by the threshold, or frames that land outside a fixed grid.
enum EmptyResultDiagnosis {
    /// The cause when the clip rectangle and fan keep no pixel of a `imageSize` frame, else nil.
    static func maskCause(settings: ReconstructionSettings, imageSize: SIMD2<Int>) -> String? {
        let mask = PixelMask(width: imageSize.x, height: imageSize.y, settings: settings, fanAnglesDeg: settings.fanAnglesDeg)
        guard mask.pixelCount == 0 else { return nil }
        let o = settings.clipRectangleOrigin, c = settings.clipRectangleSize
        let image = "\(imageSize.x)x\(imageSize.y) image"
        if c.x > 0, c.y > 0, o.x >= imageSize.x || o.y >= imageSize.y || o.x + c.x < 0 || o.y + c.y < 0 {
            return "clip rectangle (\(o.x), \(o.y), \(c.x), \(c.y)) lies outside the \(image) (ClipRectangleOrigin/ClipRectangleSize)"
        }
        if settings.hasFan {
            let a = settings.fanAnglesDeg, f = settings.fanOriginPixel
            return "the fan (FanAnglesDeg \(a.x) \(a.y), FanOriginPixel \(f.x) \(f.y), radii \(settings.fanRadiusStartPixel)-\(settings.fanRadiusStopPixel) pixels) covers no pixel of the \(image)"
        }
        return "the clip rectangle (\(o.x), \(o.y), \(c.x), \(c.y)) keeps no pixel of the \(image)"
    }

    /// Every frame was INVALID: how many, for which reasons.
    static func allInvalid(_ frames: Int, reasons: [String: Int], transform: String) -> String {
        let list = reasons.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }
            .map { "\($0.value) x \($0.key)" }.joined(separator: "; ")
        return "none of the \(frames) frames has a usable \(transform) transform: \(list)"
    }

    /// The cause after pasting hit fewer voxels than `RecordingReconstruction.minimumHitFraction`.
    static func afterPasting(statistics s: ReconstructionStatistics, hit: Int, voxels: Int, settings: ReconstructionSettings) -> String {
        if s.framesPasted == 0 {
            if s.framesSkippedEmpty > 0 { return "fan-angle detection found no image content in any of the \(s.framesSkippedEmpty) frames (EnableFanAnglesAutoDetect)" }
            return allInvalid(s.framesSkippedInvalidTransform, reasons: s.invalidFrameReasons, transform: settings.imageToReferenceName.description)
        }
        if s.pixelsPasted == 0 {
            if let t = settings.pixelRejectionThreshold {
                return "every pixel of the \(s.framesPasted) frames was rejected by PixelRejectionThreshold=\(t) (or fell outside the grid)"
            }
            return "no pixel of the \(s.framesPasted) frames lands inside the output grid (check OutputOrigin/OutputExtent)"
        }
        return "only \(hit) of \(voxels) voxels were hit (fewer than one in \(Int(1 / RecordingReconstruction.minimumHitFraction))); check OutputOrigin/OutputExtent and the calibration"
    }
}
