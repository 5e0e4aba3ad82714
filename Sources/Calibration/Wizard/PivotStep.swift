import Geometry
import Recordings

/// Wizard step: pivot calibration of a tracked stylus.
public struct PivotStep: CalibrationStep {
    public let kind = CalibrationStepKind.pivot
    /// Frame names (PLUS's `vtkPlusPivotCalibrationAlgo` attributes).
    public var markerFrame = "Stylus", referenceFrame = "Reference", tipFrame = "StylusTip"
    /// Error limits (mm) for warn and fail.
    public var warnError = 0.8, failError = 2.0
    public private(set) var calibration = PivotCalibration()
    private var tally: PoseTally
    /// The running tip error (mm), recomputed every `runningInterval` poses.
    private var running: PivotCalibration.Result?
    /// Poses between running-error updates.
    public var runningInterval = 20

    public init(markerFrame: String = "Stylus", referenceFrame: String = "Reference", tipFrame: String = "StylusTip") {
        self.markerFrame = markerFrame
        self.referenceFrame = referenceFrame
        self.tipFrame = tipFrame
        tally = PoseTally(needed: TransformName(from: markerFrame, to: referenceFrame))
    }

    public var instructions: String {
        "Put the stylus tip in a divot that holds it still, then pivot the stylus around the tip, tilting it at least \(Int(calibration.settings.minimumRotationSpreadDegrees)) degrees in every direction, for 10-20 s. \(markerFrame)To\(referenceFrame) poses are collected from every frame."
    }

    public mutating func consume(_ frame: TrackedFrame, base: TransformRepository) {
        if tally.needed != TransformName(from: markerFrame, to: referenceFrame) { tally = PoseTally(needed: TransformName(from: markerFrame, to: referenceFrame)) }
        guard let pose = tally.pose(of: frame, base: base) else { return }
        calibration.insert(pose)
        let n = calibration.poses.count
        if n >= 10, n % runningInterval == 0 { running = try? calibration.calibrate() }
    }

    public var progress: String {
        let n = calibration.poses.count
        return "poses \(n)" + (tally.missing > 0 ? " (\(tally.missing) untracked)" : "") + ", rotation spread \(formatted(calibration.rotationAngleSpread, decimals: 0)) deg"
            + (running.map { ", tip error \(formatted($0.meanError, decimals: 2)) mm" } ?? "")
    }

    public var isComplete: Bool { false }

    /// Poses a live collection gathers (fCal's `NumberOfStylusCalibrationPointsToAcquire`).
    public var livePoseCount = 200

    /// `livePoseCount` poses with the rotation spread the calibration needs.
    public var collectedEnough: Bool {
        calibration.poses.count >= livePoseCount && calibration.rotationAngleSpread >= calibration.settings.minimumRotationSpreadDegrees
    }

    public func finish() throws(CalibrationStepError) -> CalibrationOutcome {
        if calibration.poses.isEmpty, let why = tally.summary {
            throw CalibrationStepError(kind, "\(why): keep the stylus marker in the tracker's view (and check the tool names in --config)")
        }
        let r: PivotCalibration.Result
        do { r = try calibration.calibrate() } catch { throw CalibrationStepError(kind, error.description) }
        var grade = CalibrationGrade.grade(r.meanError, warnAbove: warnError, failAbove: failError)
        var lines = [
            "tip in \(markerFrame) frame: (\(formatted(r.tipInMarker.x)), \(formatted(r.tipInMarker.y)), \(formatted(r.tipInMarker.z))) mm, length \(formatted(r.tipInMarker.length)) mm",
            "mean tip error \(formatted(r.meanError, decimals: 3)) mm (warn above \(warnError), fail above \(failError))",
            "\(r.poseCount) poses, \(r.outlierIndices.count) rejected as outliers, shaft rotation spread \(formatted(r.rotationSpreadDegrees, decimals: 1)) deg",
        ]
        if r.rotationSpreadDegrees < calibration.settings.minimumRotationSpreadDegrees {
            grade = .fail
            lines.append("the stylus was tilted only \(formatted(r.rotationSpreadDegrees, decimals: 1)) deg (at least \(Int(calibration.settings.minimumRotationSpreadDegrees)) needed): pivot it more widely")
        }
        return CalibrationOutcome(grade: grade, lines: lines, transforms: [
            .init(name: TransformName(from: tipFrame, to: markerFrame), matrix: r.tipToMarker, error: r.meanError),
        ])
    }

    public mutating func reset() { calibration.reset(); tally.reset(); running = nil }
}
