import Geometry
import Imaging
import Recordings

/// Wizard step: pixel spacing from the imaging depth set on the scanner.
public struct SpacingStep: CalibrationStep {
    public let kind = CalibrationStepKind.spacing
    /// Imaging depth from the transducer face (mm), as the scanner shows it.
    public var depth: Double
    /// Spacing the recording states (mm/px), compared with the estimate.
    public var fileSpacing: SIMD2<Double>?
    /// Frames kept for detection (spread over the recording by keeping every n-th).
    public var maximumFrames = 30
    public var detector = FanDetector()
    private var frames: [Image] = []
    private var seen = 0

    public init(depth: Double, fileSpacing: SIMD2<Double>? = nil) {
        self.depth = depth
        self.fileSpacing = fileSpacing
    }

    public var instructions: String {
        "Image anything (a phantom, your hand) with the probe at the depth setting you will use; the imaging region is found from where the frames have data. Depth given: \(formatted(depth)) mm from the transducer face."
    }

    public mutating func consume(_ frame: TrackedFrame, base: TransformRepository) {
        guard !frame.image.isEmpty, frame.imageStatus == .ok else { return }
        seen += 1
        if frames.count < maximumFrames { frames.append(frame.image) }
        else if seen % 7 == 0 { frames[(seen / 7) % maximumFrames] = frame.image }
    }

    public var progress: String { "frames \(seen) (\(frames.count) used)" }
    public var isComplete: Bool { false }
    /// Live: three times `maximumFrames` seen, so the kept frames are spread over a few seconds.
    public var collectedEnough: Bool { seen >= 3 * maximumFrames }

    public func finish() throws(CalibrationStepError) -> CalibrationOutcome {
        guard !frames.isEmpty else { throw CalibrationStepError(kind, "no valid image frames were received") }
        let region: ImagingRegion
        do { region = try detector.detect(frames) } catch { throw CalibrationStepError(kind, error.description) }
        let estimate = SpacingEstimate(region: region, depth: depth, fileSpacing: fileSpacing)
        var lines = ["\(region)", "spacing \(formatted(estimate.spacing, decimals: 4)) mm/px (\(formatted(depth)) mm over \(formatted(region.depthPixels)) px)"]
        lines += region.notes
        var grade = region.notes.isEmpty ? CalibrationGrade.pass : .warn
        if let w = estimate.warning { lines.append("warning: \(w)"); grade = .warn }
        let face = region.faceCentre
        let s = estimate.spacing
        return CalibrationOutcome(grade: grade, lines: lines, transforms: [
            .init(name: TransformName(from: "Image", to: "TransducerOriginPixel"), matrix: .translation(SIMD3(-face.x, -face.y, 0))),
            .init(name: TransformName(from: "TransducerOriginPixel", to: "TransducerOrigin"), matrix: .scaling(SIMD3(s, s, s))),
        ])
    }

    public mutating func reset() { frames.removeAll(); seen = 0 }
}
