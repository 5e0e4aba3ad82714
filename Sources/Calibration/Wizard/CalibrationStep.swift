import Geometry
import Recordings

/// The calibration procedures the wizard runs, in their usual order.
public enum CalibrationStepKind: String, Sendable, CaseIterable, Hashable {
    case spacing, pivot, landmarks, probe, temporal

    /// A short title.
    public var title: String {
        switch self {
        case .spacing: return "Pixel spacing from imaging depth"
        case .pivot: return "Stylus pivot calibration"
        case .landmarks: return "Phantom landmark registration"
        case .probe: return "Probe (N-wire) calibration"
        case .temporal: return "Temporal calibration (tracker lag)"
        }
    }
}

/// How good a calibration result is.
public enum CalibrationGrade: String, Sendable, Hashable, Comparable {
    case pass, warn, fail

    public static func < (a: CalibrationGrade, b: CalibrationGrade) -> Bool {
        let order: [CalibrationGrade] = [.pass, .warn, .fail]
        return order.firstIndex(of: a)! < order.firstIndex(of: b)!
    }

    /// Grades `value` (lower is better) against two limits.
    public static func grade(_ value: Double, warnAbove: Double, failAbove: Double) -> CalibrationGrade {
        value > failAbove ? .fail : (value > warnAbove ? .warn : .pass)
    }
}

/// What a finished step produced.
public struct CalibrationOutcome: Sendable {
    /// Overall grade.
    public var grade: CalibrationGrade
    /// Result lines for the user (figures with units, and why the grade is what it is).
    public var lines: [String]
    /// Transforms to save.
    public var transforms: [CalibrationResults.Transform]
    /// A temporal result to save.
    public var temporal: CalibrationResults.Temporal?
    /// The pixel spacing found (mm/px), for the spacing step.
    public var spacing: Double?

    public init(grade: CalibrationGrade, lines: [String], transforms: [CalibrationResults.Transform] = [], temporal: CalibrationResults.Temporal? = nil,
                spacing: Double? = nil) {
        self.grade = grade
        self.lines = lines
        self.transforms = transforms
        self.temporal = temporal
        self.spacing = spacing
    }
}

/// Why a step could not produce a result.
public struct CalibrationStepError: Error, Sendable, CustomStringConvertible {
    public var step: CalibrationStepKind
    public var message: String
    public init(_ step: CalibrationStepKind, _ message: String) {
        self.step = step
        self.message = message
    }
    public var description: String { "\(step.rawValue): \(message)" }
}

/// One wizard step: it explains what to do, consumes tracked frames one at a time (from a
/// recording or a live OpenIGTLink stream), reports progress, and computes a graded result.
public protocol CalibrationStep: Sendable {
    /// Which procedure this is.
    var kind: CalibrationStepKind { get }
    /// What the user should do, in a few sentences.
    var instructions: String { get }
    /// Takes one frame. `base` holds the calibration transforms known so far (configuration plus
    /// earlier steps), for resolving tool poses.
    mutating func consume(_ frame: TrackedFrame, base: TransformRepository)
    /// A one-line progress report (poses collected, rotation spread, landmarks found, ...).
    var progress: String { get }
    /// Whether enough data was collected (the source may stop early).
    var isComplete: Bool { get }
    /// Whether a live collection may stop: as much data as fCal acquires for this procedure
    /// (recordings are read to the end regardless). Defaults to `isComplete`.
    var collectedEnough: Bool { get }
    /// Computes the result from what was collected.
    func finish() throws(CalibrationStepError) -> CalibrationOutcome
    /// Forgets collected data, for a redo.
    mutating func reset()
    /// Announces that frames from source `index` of `count` follow (e.g. the probe step takes the
    /// last of several recordings as its validation set).
    mutating func beginSource(_ index: Int, of count: Int)
}

extension CalibrationStep {
    public mutating func beginSource(_ index: Int, of count: Int) {}
    public var collectedEnough: Bool { isComplete }
}
