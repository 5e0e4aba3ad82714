import Geometry
import Imaging
import Recordings

/// Wizard step: pixel spacing from the imaging depth set on the scanner.
public struct SpacingStep: CalibrationStep {
    public let kind = CalibrationStepKind.spacing
    /// Imaging depth from the transducer face (mm), as the scanner shows it.
    public var depth: Double
    /// Spacing the recording states (mm/px), compared with the estimate unless it is PLUS's `1 1`.
    public var fileSpacing: SIMD2<Double>?
    /// Spacing the configuration's ImageToProbe implies (mm/px); compared instead of `fileSpacing`.
    public var configSpacing: SIMD2<Double>?
    /// The imaging region given by hand (`--rows`, `--region`); skips the detection.
    public var givenRegion: RegionSelection?
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
        guard let first = frames.first else { throw CalibrationStepError(kind, "no valid image frames were received") }
        let region: ImagingRegion
        if let given = givenRegion {
            let rows = given.rows
            guard rows.lowerBound >= 0, rows.upperBound < first.height, rows.count >= 2 else {
                throw CalibrationStepError(kind, "--rows \(rows.lowerBound)...\(rows.upperBound) is not inside the frame's rows 0...\(first.height - 1)")
            }
            if let c = given.columns, c.lowerBound < 0 || c.upperBound >= first.width {
                throw CalibrationStepError(kind, "--region columns \(c.lowerBound)...\(c.upperBound) are not inside the frame's columns 0...\(first.width - 1)")
            }
            region = FanDetector.givenRegion(rows: rows, columns: given.columns, width: first.width, height: first.height)
        } else {
            do { region = try detector.detect(frames) } catch { throw CalibrationStepError(kind, error.description) }
        }
        let estimate = SpacingEstimate(region: region, depth: depth, fileSpacing: fileSpacing, imageToProbeSpacing: configSpacing)
        guard region.confidence.isConfident else {
            let why = region.confidence.reasons.isEmpty ? "" : " (" + region.confidence.reasons.joined(separator: "; ") + ")"
            throw CalibrationStepError(kind, "the imaging region is not visible as such in these frames\(why): found \(region), \(region.confidence). "
                + "It would give \(formatted(estimate.spacing, decimals: 4)) mm/px, which is not trusted. Give the region by hand: "
                + "--rows FACE...DEEPEST (the rows of the transducer face and of the deepest data) or --region X0,Y0,X1,Y1")
        }
        var lines = ["\(region)", "spacing \(formatted(estimate.spacing, decimals: 4)) mm/px (\(formatted(depth)) mm over \(formatted(region.depthPixels)) px), \(region.confidence)"]
        lines += region.notes.filter { $0 != "region given by hand" }
        lines.append(estimate.comparison)
        let warnings = estimate.warnings
        lines += warnings.map { "warning: " + $0 }
        let grade: CalibrationGrade = warnings.isEmpty ? .pass : .warn
        let face = region.faceCentre
        let s = estimate.spacing
        return CalibrationOutcome(grade: grade, lines: lines, transforms: [
            .init(name: TransformName(from: "Image", to: "TransducerOriginPixel"), matrix: .translation(SIMD3(-face.x, -face.y, 0))),
            .init(name: TransformName(from: "TransducerOriginPixel", to: "TransducerOrigin"), matrix: .scaling(SIMD3(s, s, s))),
        ], spacing: s)
    }

    public mutating func reset() { frames.removeAll(); seen = 0 }
}
