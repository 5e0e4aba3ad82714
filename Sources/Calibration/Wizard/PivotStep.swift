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
    private var skipped = 0

    public init(markerFrame: String = "Stylus", referenceFrame: String = "Reference", tipFrame: String = "StylusTip") {
        self.markerFrame = markerFrame
        self.referenceFrame = referenceFrame
        self.tipFrame = tipFrame
    }

    public var instructions: String {
        "Put the stylus tip in a divot that holds it still, then pivot the stylus around the tip, tilting it at least \(Int(calibration.settings.minimumRotationSpreadDegrees)) degrees in every direction, for 10-20 s. \(markerFrame)To\(referenceFrame) poses are collected from every frame."
    }

    public mutating func consume(_ frame: TrackedFrame, base: TransformRepository) {
        guard let r = try? frame.repository(base: base).transform(TransformName(from: markerFrame, to: referenceFrame)), r.status == .ok else {
            skipped += 1
            return
        }
        calibration.insert(r.matrix)
    }

    public var progress: String {
        let n = calibration.poses.count
        return "poses \(n)" + (skipped > 0 ? " (\(skipped) untracked)" : "") + ", rotation spread \(formatted(calibration.rotationAngleSpread, decimals: 0)) deg"
    }

    public var isComplete: Bool { false }

    /// Poses a live collection gathers (fCal's `NumberOfStylusCalibrationPointsToAcquire`).
    public var livePoseCount = 200

    /// `livePoseCount` poses with the rotation spread the calibration needs.
    public var collectedEnough: Bool {
        calibration.poses.count >= livePoseCount && calibration.rotationAngleSpread >= calibration.settings.minimumRotationSpreadDegrees
    }

    public func finish() throws(CalibrationStepError) -> CalibrationOutcome {
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

    public mutating func reset() { calibration.reset(); skipped = 0 }
}
