#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry
import Recordings

/// The `freehand calibrate` flow as a library: runs the chosen steps in order, each one
/// explained, fed from recordings or a live stream, graded, and accepted, redone, skipped or
/// quit; accepted results are saved as a PLUS device-set fragment.
///
/// It talks to the user only through `WizardIO`, so the whole flow is tested with scripted
/// answers. Steps that need something not given (imaging depth, a configuration with the phantom
/// definition, a recording) ask for it; with `assumeYes` nothing is asked.
public struct CalibrationWizard {
    /// What the wizard was given on the command line.
    public struct Options: Sendable {
        /// Steps to run, in this order.
        public var steps: [CalibrationStepKind] = CalibrationStepKind.allCases
        /// Whether the steps were chosen explicitly (then a step that cannot run with `assumeYes` is a failure).
        public var stepsChosen = false
        /// Recordings for every step without its own.
        public var recordings: [String] = []
        /// Recordings per step.
        public var stepRecordings: [CalibrationStepKind: [String]] = [:]
        /// PLUS device-set configuration (frame names, phantom definition, calibration so far).
        public var configPath: String?
        /// Imaging depth for the spacing step (mm).
        public var depth: Double?
        /// Where results are saved (an existing file is updated).
        public var outputPath: String
        /// Non-interactive: run every step and accept what does not fail.
        public var assumeYes = false
        /// Live collection limits (with `openLive`).
        public var liveFrames: Int?
        public var liveDuration: Double?

        public init(outputPath: String) { self.outputPath = outputPath }

        /// The recordings for `kind`: its own, else the common ones.
        public func recordings(for kind: CalibrationStepKind) -> [String] {
            let own = stepRecordings[kind] ?? []
            return own.isEmpty ? recordings : own
        }
    }

    /// How a step ended, for the summary.
    public struct StepReport: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable { case saved, notSaved = "not saved", skipped, failed, quit }
        public var step: CalibrationStepKind
        public var status: Status
        /// The grade, when the step produced a result.
        public var grade: CalibrationGrade?
        public var note: String
    }

    /// What the wizard did.
    public struct Report: Sendable {
        public var steps: [StepReport] = []
        /// Where results were written, nil when nothing was saved.
        public var savedTo: String?
        /// A step failed (error or failing grade not saved) or the user quit: the command exits non-zero.
        public var succeeded: Bool {
            !steps.contains { $0.status == .failed || $0.status == .quit }
        }
    }

    public var options: Options
    public let io: any WizardIO
    /// Opens a live connection for a step; nil for recorded input.
    public var openLive: (@Sendable (LiveRequest) -> any LiveStepSource)?
    /// Where live frames come from, for messages.
    public var liveAddress = ""
    /// Gives each recorded frame of the probe step the poses of a separate tracker recording at
    /// its time (`calibrate --tracker`, the pairing `reconstruct --tracker` uses); nil when the
    /// recordings carry their poses.
    public var pairProbeFrame: (@Sendable (TrackedFrame) -> TrackedFrame)?

    var configuration: DeviceSetConfiguration?
    var base = TransformRepository()
    var results: CalibrationResults

    public init(options: Options, io: any WizardIO, openLive: (@Sendable (LiveRequest) -> any LiveStepSource)? = nil, liveAddress: String = "") {
        self.options = options
        self.io = io
        self.openLive = openLive
        self.liveAddress = liveAddress
        results = CalibrationResults(comment: "freehand calibrate, \(CalibrationResults.dateStamp())")
    }

    var isLive: Bool { openLive != nil }

    /// Runs the steps; the report says what was saved and whether everything succeeded.
    public mutating func run() throws -> Report {
        if let path = options.configPath { try useConfiguration(DeviceSetConfiguration.load(path), path: path) }
        try loadEarlierResults()
        var report = Report()
        var changed = false
        let kinds = options.steps
        io.say("Freehand calibration: \(kinds.count) step\(kinds.count == 1 ? "" : "s") (\(kinds.map(\.rawValue).joined(separator: ", "))).")
        for (index, kind) in kinds.enumerated() {
            io.say("\n== Step \(index + 1)/\(kinds.count): \(kind.title) ==")
            let r = runStep(kind)
            report.steps.append(r.report)
            if let outcome = r.accepted {
                for t in outcome.transforms {
                    results.set(t)
                    base.set(t.name, t.matrix, persistent: true)
                }
                if let t = outcome.temporal { results.temporal = t }
                changed = true
            }
            if r.report.status == .quit { break }
        }
        io.say("\n== Summary ==")
        for s in report.steps {
            let grade = s.grade?.rawValue ?? (s.status == .failed ? "fail" : "-")
            io.say("  \(pad(s.step.rawValue, 10)) \(pad(grade.uppercased(), 5)) \(s.status.rawValue)\(s.note.isEmpty ? "" : ": " + s.note)")
        }
        if changed {
            try results.write(to: options.outputPath)
            report.savedTo = options.outputPath
            io.say("Results written to \(options.outputPath)")
        } else {
            io.say("Nothing to save.")
        }
        return report
    }

    /// Takes a configuration's calibration transforms and frame names.
    mutating func useConfiguration(_ c: DeviceSetConfiguration, path: String) {
        configuration = c
        options.configPath = path
        var repo = c.transformRepository()
        // Results accepted so far take precedence over the configuration's.
        for t in results.transforms { repo.set(t.name, t.matrix, persistent: true) }
        base = repo
    }

    /// Earlier results in the output file (e.g. a stylus calibration for the landmark step) are used and kept.
    private mutating func loadEarlierResults() throws {
        guard access(options.outputPath, F_OK) == 0 else { return }
        let existing = try DeviceSetConfiguration.load(options.outputPath)
        for d in existing.coordinateDefinitionDetails {
            results.set(.init(name: d.name, matrix: d.matrix, error: d.error, date: d.date ?? ""))
            base.set(d.name, d.matrix, persistent: true)
        }
        if let t = existing.root.first("TemporalCalibrationResults"), let lag = t.numbers("TrackerLagSec")?.first {
            results.temporal = .init(trackerLag: lag, calibrationError: t.numbers("CalibrationError")?.first ?? 0,
                                     maxCalibrationError: t.numbers("MaxCalibrationError")?.first ?? 0)
        }
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
}
