import Geometry
import Imaging
import Recordings

/// Wizard step: temporal calibration with the water-tank bottom. Frames with an image give the
/// video signal, frames with a tracked probe give the tracker signal; they may come from one
/// recording or from separate video and tracker recordings.
public struct TemporalStep: CalibrationStep {
    public let kind = CalibrationStepKind.temporal
    public var probeFrame = "Probe", referenceFrame = "Reference"
    public var calibration = TemporalCalibration()
    /// Normalised RMS limits for warn and fail.
    public var warnRMS = 0.35, failRMS = 0.7
    /// Tank-bottom position per video frame (nil where no line was found); images are not kept.
    private var video: [(timestamp: Double, position: Double?)] = []
    private var poses: [(timestamp: Double, pose: Transform3D?)] = []
    private var linesFound = 0, posesTracked = 0

    public init() {}

    public var instructions: String {
        "Put the probe in a water tank facing its flat bottom, so the bottom shows as a bright straight line. Move the probe up and down (at least 1-2 cm) about once a second for 15-20 s. The tracker signal is \(probeFrame)To\(referenceFrame) along its main direction of motion."
    }

    public mutating func consume(_ frame: TrackedFrame, base: TransformRepository) {
        if !frame.image.isEmpty, frame.imageStatus == .ok {
            let position = calibration.segmenter.signal(in: frame.image)
            if position != nil { linesFound += 1 }
            video.append((frame.timestamp, position))
        }
        if let r = try? frame.repository(base: base).transform(TransformName(from: probeFrame, to: referenceFrame)) {
            if r.status == .ok { posesTracked += 1 }
            poses.append((frame.timestamp, r.status == .ok ? r.matrix : nil))
        }
    }

    public var progress: String {
        "video frames \(video.count) (line found in \(linesFound)), tracker poses \(posesTracked)"
    }
    public var isComplete: Bool { false }

    /// Seconds of video (with tracker poses) a live collection gathers.
    public var liveDuration = 15.0

    /// `liveDuration` seconds of video with the line found and tracked probe poses.
    public var collectedEnough: Bool {
        guard let first = video.first?.timestamp, let last = video.last?.timestamp else { return false }
        return last - first >= liveDuration && linesFound > 0 && posesTracked > 0
    }

    public func finish() throws(CalibrationStepError) -> CalibrationOutcome {
        let v = video.sorted { $0.timestamp < $1.timestamp }
        let p = poses.sorted { $0.timestamp < $1.timestamp }
        guard !v.isEmpty else { throw CalibrationStepError(kind, "no image frames were received: the video signal needs the ultrasound images") }
        guard !p.isEmpty else { throw CalibrationStepError(kind, "no \(probeFrame)To\(referenceFrame) poses were received: the tracker signal needs the tracked probe") }
        let r: TemporalCalibration.Result
        do { r = try calibration.calibrate(videoPositions: v, tracker: p) } catch { throw CalibrationStepError(kind, error.description) }
        let grade = CalibrationGrade.grade(r.normalizedRMS, warnAbove: warnRMS, failAbove: failRMS)
        let lines = [
            "tracker lag \(formatted(r.trackerLag * 1000, decimals: 1)) ms (tracker data at t\(r.trackerLag < 0 ? "" : "+")\(formatted(r.trackerLag, decimals: 4)) s matches the frame at t)",
            "normalised RMS misfit \(formatted(r.normalizedRMS, decimals: 3)) (warn above \(warnRMS), fail above \(failRMS)); PLUS error \(formatted(r.calibrationError, decimals: 2)) mm, max \(formatted(r.maxCalibrationError, decimals: 2)) mm",
            "signals: \(r.videoSignal.count) video samples, \(r.trackerSignal.count) tracker samples",
        ]
        return CalibrationOutcome(grade: grade, lines: lines, temporal: .init(trackerLag: r.trackerLag, calibrationError: r.calibrationError, maxCalibrationError: r.maxCalibrationError))
    }

    public mutating func reset() { video.removeAll(); poses.removeAll(); linesFound = 0; posesTracked = 0 }
}
