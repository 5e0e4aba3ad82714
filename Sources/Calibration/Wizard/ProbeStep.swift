import Geometry
import Imaging
import Recordings

/// Wizard step: N-wire probe calibration (ImageToProbe) with a registered fCal-style phantom.
/// Frames are segmented as they arrive, in small parallel batches; only the recognised wire
/// points and the probe pose are kept. With two or more recordings the last one is the
/// validation set (as fCal records them); with one, every fourth frame is held out for validation.
public struct ProbeStep: CalibrationStep {
    public let kind = CalibrationStepKind.probe
    public var phantom: NWirePhantom
    public var segmenter: NWireSegmenter
    public var refinement: NWireCalibration.Refinement
    public var imageFrame = "Image", probeFrame = "Probe", referenceFrame = "Reference", phantomFrame = "Phantom"
    /// Validation error limits (mean 3-D distance of the middle wires, mm).
    public var warnError = 1.0, failError = 2.0
    private var calibration: [NWireObservation] = []
    private var validation: [NWireObservation] = []
    private var frames = 0
    private var tally = PoseTally(needed: TransformName(from: "Probe", to: "Reference"))
    /// Frames segmented, and candidate dots found in them (for the "no pattern" error).
    private var segmented = 0, candidates = 0, mostCandidates = 0
    /// The running validation error (mm), recomputed every `runningInterval` new observations.
    private var running: NWireCalibrationResult?
    private var observationsAtRunning = 0
    /// New observations between running-error updates.
    public var runningInterval = 40
    private var validationSource = false, separateValidation = false
    private var phantomToReference: Transform3D?
    /// Tracked frames waiting for segmentation: image, pose, held out for validation.
    private var pending: [(image: Image, pose: Transform3D, validation: Bool)] = []
    /// Frames segmented together (in parallel).
    public var batchSize = 16

    public init(phantom: NWirePhantom, segmenter: NWireSegmenter, refinement: NWireCalibration.Refinement = .rigidWithScale) {
        self.phantom = phantom
        self.segmenter = segmenter
        self.refinement = refinement
    }

    public var instructions: String {
        "Image the N-wire phantom (registered to the reference by the landmark step) through the water-filled phantom, sweeping and tilting the probe slowly so the \(phantom.patterns.count * 3) wire dots stay in view; record a second, separate sweep for validation. Needs \(phantomFrame)To\(referenceFrame) and tracked \(probeFrame)To\(referenceFrame)."
    }

    public mutating func beginSource(_ index: Int, of count: Int) {
        separateValidation = count >= 2
        validationSource = count >= 2 && index == count - 1
    }

    public mutating func consume(_ frame: TrackedFrame, base: TransformRepository) {
        guard frame.imageStatus == .ok, !frame.image.isEmpty else { return }
        frames += 1
        if phantomToReference == nil, let r = try? base.transform(TransformName(from: phantomFrame, to: referenceFrame)) {
            phantomToReference = r.matrix
        }
        if tally.needed != TransformName(from: probeFrame, to: referenceFrame) { tally = PoseTally(needed: TransformName(from: probeFrame, to: referenceFrame)) }
        guard let pose = tally.pose(of: frame, base: base) else { return }
        let holdOut = separateValidation ? validationSource : frames % 4 == 0
        pending.append((frame.image, pose, holdOut))
        if pending.count >= batchSize {
            let (c, v) = segmentPending()
            calibration += c
            validation += v
            pending.removeAll(keepingCapacity: true)
            updateRunningError()
        }
    }

    /// Recomputes the running validation error when enough new frames have the wires found.
    private mutating func updateRunningError() {
        let n = calibration.count + validation.count
        guard let phantomToReference, calibration.count >= 10, validation.count >= 3, n - observationsAtRunning >= runningInterval else { return }
        observationsAtRunning = n
        running = try? NWireCalibration(phantom: phantom, phantomToReference: phantomToReference, refinement: refinement)
            .calibrate(calibration: calibration, validation: validation)
    }

    /// Segments the pending frames; observations for calibration and validation.
    private mutating func segmentPending() -> (calibration: [NWireObservation], validation: [NWireObservation]) {
        var c: [NWireObservation] = [], v: [NWireObservation] = []
        let found = segmenter.segment(pending.map(\.image))
        segmented += found.count
        for s in found { candidates += s.candidates.count; mostCandidates = max(mostCandidates, s.candidates.count) }
        for (item, s) in zip(pending, found) where s.isPatternFound {
            let o = NWireObservation(points: s.points, probeToReference: item.pose)
            if item.validation { v.append(o) } else { c.append(o) }
        }
        return (c, v)
    }

    public var progress: String {
        "frames \(frames), wires found in \(calibration.count + validation.count) (calibration \(calibration.count), validation \(validation.count))"
            + (tally.missing > 0 ? ", \(tally.missing) untracked" : "")
            + (running.map { ", PRE3D about \(formatted($0.validationError.mean, decimals: 2)) mm" } ?? "")
    }

    public var isComplete: Bool { false }

    /// Frames with the wires found that a live collection gathers (fCal's
    /// `NumberOfCalibrationImagesToAcquire` and `NumberOfValidationImagesToAcquire`).
    public var liveCalibrationFrames = 200, liveValidationFrames = 100

    /// Enough segmented frames for calibration and validation (pending frames not counted yet).
    public var collectedEnough: Bool {
        calibration.count >= liveCalibrationFrames && validation.count >= liveValidationFrames
    }

    public func finish() throws(CalibrationStepError) -> CalibrationOutcome {
        guard frames > 0 else {
            throw CalibrationStepError(kind, "no image frames were received: the probe step needs the ultrasound images with the tracker poses")
        }
        guard let phantomToReference else {
            throw CalibrationStepError(kind, "no \(phantomFrame)To\(referenceFrame): register the phantom first (landmarks step) or give it in --config")
        }
        if tally.missing == frames, let why = tally.summary {
            throw CalibrationStepError(kind, "\(why): keep the probe's and the reference's markers in the tracker's view (and check the tool names in --config)")
        }
        var finished = self
        let rest = finished.segmentPending()
        if calibration.isEmpty && validation.isEmpty && rest.calibration.isEmpty && rest.validation.isEmpty {
            let n = finished.segmented
            let wires = phantom.patterns.map { "(" + $0.wires.map(\.name).joined(separator: ", ") + ")" }.joined(separator: ", ")
            throw CalibrationStepError(kind, "none of the \(n) tracked frames shows the phantom's pattern: expected \(phantom.patterns.count) N-wires of 3 wires each, "
                + "\(wires); the frames had \(n > 0 ? formatted(Double(finished.candidates) / Double(n), decimals: 1) : "0") candidate dots on average (at most \(finished.mostCandidates)). "
                + "Check that <PhantomDefinition> describes the phantom imaged, and the <Segmentation> settings (ApproximateSpacingMmPerPixel, ClipRectangle)")
        }
        let result: NWireCalibrationResult
        do {
            result = try NWireCalibration(phantom: phantom, phantomToReference: phantomToReference, refinement: refinement)
                .calibrate(calibration: calibration + rest.calibration, validation: validation + rest.validation)
        } catch {
            throw CalibrationStepError(kind, error.description)
        }
        let v = result.validationError, c = result.calibrationError
        var grade = CalibrationGrade.grade(v.mean, warnAbove: warnError, failAbove: failError)
        var lines = [
            "validation error \(formatted(v.mean, decimals: 3)) +- \(formatted(v.standardDeviation, decimals: 3)) mm (max \(formatted(v.maximum, decimals: 2)), \(result.validationFrameCount) frames; warn above \(warnError), fail above \(failError))",
            "calibration error \(formatted(c.mean, decimals: 3)) +- \(formatted(c.standardDeviation, decimals: 3)) mm over \(result.calibrationFrameCount) frames, \(result.outlierCount) outlier points",
            "pixel size \(formatted(result.pixelSize.x, decimals: 4)) x \(formatted(result.pixelSize.y, decimals: 4)) mm, image axes at \(formatted(result.axesAngleDegrees, decimals: 2)) deg",
        ]
        if result.validationFrameCount == 0 {
            grade = max(grade, .warn)
            lines.append("no validation frames: the error above is not independent of the fit")
        }
        return CalibrationOutcome(grade: grade, lines: lines, transforms: [
            .init(name: TransformName(from: imageFrame, to: probeFrame), matrix: result.imageToProbe,
                  error: result.validationFrameCount > 0 ? v.mean : c.mean),
        ])
    }

    public mutating func reset() {
        calibration.removeAll(); validation.removeAll(); pending.removeAll()
        frames = 0; tally.reset(); phantomToReference = nil
        segmented = 0; candidates = 0; mostCandidates = 0; running = nil; observationsAtRunning = 0
    }
}
