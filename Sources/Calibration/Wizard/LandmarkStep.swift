import Geometry
import Recordings

/// Wizard step: phantom registration by touching its landmarks with the calibrated stylus.
public struct LandmarkStep: CalibrationStep {
    public let kind = CalibrationStepKind.landmarks
    public var registration: PhantomLandmarkRegistration
    public var phantomFrame = "Phantom", referenceFrame = "Reference", stylusFrame = "Stylus", tipFrame = "StylusTip"
    /// Registration error limits (mm).
    public var warnError = 0.75, failError = 2.0
    public private(set) var detector: LandmarkDetector
    private var lastTimestamp: Double?
    private var rateKnown = false
    private var missingTip = false
    private var pending: Transform3D?
    private var stylusProblem: PoseTally?

    /// A step for the landmarks of `registration`; the tracker rate is taken from the first two frames.
    public init(registration: PhantomLandmarkRegistration) {
        self.registration = registration
        var s = LandmarkDetector.Settings()
        s.minimumLandmarkDistance = registration.minimumLandmarkDistance
        detector = LandmarkDetector(settings: s)
    }

    public var instructions: String {
        let names = registration.defined.map(\.name).joined(separator: ", ")
        return "Touch the \(registration.defined.count) phantom landmarks in this order: \(names). On each, hold the tip still and pivot the stylus a little for about \(formatted(detector.settings.detectionTime)) s until it is detected; then move to the next. Needs a calibrated stylus (\(tipFrame)To\(stylusFrame))."
    }

    public mutating func consume(_ frame: TrackedFrame, base: TransformRepository) {
        guard !isComplete else { return }
        let repo = frame.repository(base: base)
        var pose: Transform3D?
        if let tip = try? repo.transform(TransformName(from: tipFrame, to: stylusFrame)) {
            var tally = stylusProblem ?? PoseTally(needed: TransformName(from: stylusFrame, to: referenceFrame))
            if let stylus = tally.pose(of: frame, base: base) { pose = stylus * tip.matrix }
            stylusProblem = tally
        } else {
            missingTip = true
        }
        if !rateKnown {
            // The tracker rate (window length) comes from the first two timestamps, as in PLUS.
            guard let last = lastTimestamp, frame.timestamp > last else {
                lastTimestamp = frame.timestamp
                pending = pose
                return
            }
            detector.settings.acquisitionRate = 1 / (frame.timestamp - last)
            rateKnown = true
            if let p = pending { detector.insert(p) }
        }
        if let pose { detector.insert(pose) }
    }

    public var progress: String {
        let residual = detector.landmarks.count >= 3 ? (try? registration.register(recorded: detector.landmarks)).map { ", residual \(formatted($0.meanError, decimals: 2)) mm" } ?? "" : ""
        return "landmarks found \(detector.landmarks.count)/\(registration.defined.count)\(residual), tip resting \(formatted(detector.restingTime, decimals: 1)) s"
            + (missingTip ? " (no \(tipFrame)To\(stylusFrame): calibrate the stylus first)" : "")
            + ((stylusProblem?.missing ?? 0) > 0 ? ", \(stylusProblem?.missing ?? 0) frames untracked" : "")
    }

    public var isComplete: Bool { detector.landmarks.count >= registration.defined.count }

    public func finish() throws(CalibrationStepError) -> CalibrationOutcome {
        if detector.landmarks.count < 3 {
            if missingTip && stylusProblem == nil {
                throw CalibrationStepError(kind, "no \(tipFrame)To\(stylusFrame) (stylus tip calibration): run the pivot step first, or give a configuration or results file that has it (--config, --output of an earlier run)")
            }
            if let t = stylusProblem, t.missing == t.frames, let why = t.summary {
                throw CalibrationStepError(kind, "\(why): keep the stylus marker in the tracker's view (and check the tool names in --config)")
            }
        }
        let r: RigidRegistration
        do { r = try registration.register(recorded: detector.landmarks) } catch { throw CalibrationStepError(kind, error.description) }
        var grade = CalibrationGrade.grade(r.meanError, warnAbove: warnError, failAbove: failError)
        var lines = [
            "\(min(detector.landmarks.count, registration.defined.count)) of \(registration.defined.count) landmarks used; mean registration error \(formatted(r.meanError, decimals: 3)) mm (warn above \(warnError), fail above \(failError))",
            "worst landmark: \(formatted(r.residuals.max() ?? 0, decimals: 3)) mm",
        ]
        if detector.landmarks.count < registration.defined.count {
            grade = max(grade, .warn)
            lines.append("not all landmarks were found: touch the missing ones and hold the tip still longer")
        }
        return CalibrationOutcome(grade: grade, lines: lines, transforms: [
            .init(name: TransformName(from: phantomFrame, to: referenceFrame), matrix: r.transform, error: r.meanError),
        ])
    }

    public mutating func reset() {
        detector.reset(); lastTimestamp = nil; rateKnown = false; missingTip = false; pending = nil; stylusProblem = nil
    }
}
