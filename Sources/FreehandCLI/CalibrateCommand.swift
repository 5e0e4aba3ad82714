#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import Calibration
import Foundation
import Geometry
import Recordings

/// `freehand calibrate`: a terminal wizard through spacing, stylus, phantom, probe and temporal
/// calibration, fed from recordings (live receivers plug in as other frame sources).
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibration wizard: pixel spacing, stylus pivot, phantom landmarks, probe, temporal lag.",
        discussion: """
        Each step explains what to record, replays the recording with progress (poses, rotation \
        spread, landmarks found, ...), grades the result (pass / warn / fail) and lets you accept, \
        redo or quit. Accepted results are saved as a PLUS device-set fragment \
        (<CoordinateDefinitions><Transform .../>) that `--calibration` options and PLUS read.

        Scripting: freehand calibrate --step pivot --recording pivot.igs.mha --config device.xml --yes
        """
    )

    @Option(name: .long, help: "Step to run (spacing, pivot, landmarks, probe, temporal); repeat for several. Default: all, in that order.")
    var step: [String] = []

    @Option(name: .long, help: "Recording used by every step that has no recording of its own (repeatable).")
    var recording: [String] = []

    @Option(name: .customLong("spacing-recording"), help: "Recording for the spacing step.")
    var spacingRecording: [String] = []
    @Option(name: .customLong("pivot-recording"), help: "Recording of the stylus pivoting about its tip.")
    var pivotRecording: [String] = []
    @Option(name: .customLong("landmarks-recording"), help: "Recording of the stylus touching the phantom landmarks.")
    var landmarksRecording: [String] = []
    @Option(name: .customLong("probe-recording"), help: "N-wire phantom recording(s); with several, the last is the validation set.")
    var probeRecording: [String] = []
    @Option(name: .customLong("temporal-recording"), help: "Water-tank recording(s): one with images and tracking, or a video and a tracker recording.")
    var temporalRecording: [String] = []

    @Option(name: .long, help: "PLUS device-set configuration: calibration transforms, phantom definition, frame names.")
    var config: String?

    @Option(name: .long, help: "Imaging depth set on the scanner (mm from the transducer face), for the spacing step.")
    var depth: Double?

    @Option(name: .long, help: "Where to save the results (default Calibrations/Calibration-<date>.xml). An existing file is updated.")
    var output: String?

    @Flag(name: .long, help: "Non-interactive: run the steps and accept every result that does not fail.")
    var yes = false

    func run() throws {
        let kinds = try selectedSteps()
        let configuration = try config.map { try DeviceSetConfiguration.load($0) }
        var base = configuration?.transformRepository() ?? TransformRepository()
        let outputPath = output ?? "Calibrations/Calibration-\(CalibrationResults.dateStamp()).xml"
        var results = CalibrationResults(comment: "freehand calibrate, \(CalibrationResults.dateStamp())")
        if FileManager.default.fileExists(atPath: outputPath) {
            let existing = try DeviceSetConfiguration.load(outputPath)
            // Earlier results (e.g. a stylus calibration for the landmark step) are used and kept.
            for d in existing.coordinateDefinitionDetails {
                results.set(.init(name: d.name, matrix: d.matrix, error: d.error, date: d.date ?? ""))
                base.set(d.name, d.matrix, persistent: true)
            }
            if let t = existing.root.first("TemporalCalibrationResults"), let lag = t.numbers("TrackerLagSec")?.first {
                results.temporal = .init(trackerLag: lag, calibrationError: t.numbers("CalibrationError")?.first ?? 0,
                                         maxCalibrationError: t.numbers("MaxCalibrationError")?.first ?? 0)
            }
        }
        var summary: [(CalibrationStepKind, String, String)] = []
        var anyFailed = false
        var changed = false

        say("Freehand calibration: \(kinds.count) step\(kinds.count == 1 ? "" : "s") (\(kinds.map(\.rawValue).joined(separator: ", "))).")
        stepLoop: for (index, kind) in kinds.enumerated() {
            say("\n== Step \(index + 1)/\(kinds.count): \(kind.title) ==")
            guard var stepValue = try makeStep(kind, configuration: configuration) else {
                summary.append((kind, "n/a", "not available in this build"))
                continue
            }
            say(wrap(stepValue.instructions))
            var sources = recordings(for: kind)
            if !yes {
                var answer = ask("Press Enter to start, s to skip, q to quit: ")
                while let a = answer, !["", "s", "q"].contains(a) { answer = ask("Please press Enter, or answer s or q: ") }
                if answer == "q" || answer == nil { summary.append((kind, "-", "quit")); break stepLoop }
                if answer == "s" { summary.append((kind, "-", "skipped")); continue }
            }
            while true {
                if sources.isEmpty {
                    if yes { say("No recording given for this step (--\(kind.rawValue)-recording or --recording): skipped."); summary.append((kind, "-", "no recording")); continue stepLoop }
                    guard let path = askLine("Recording for this step (empty to skip): "), !path.isEmpty else { summary.append((kind, "-", "skipped")); continue stepLoop }
                    sources = [path]
                }
                stepValue.reset()
                do {
                    try feed(&stepValue, from: sources, base: base)
                } catch {
                    say("error: \(error)")
                    sources = []
                    if yes { summary.append((kind, "fail", "\(error)")); anyFailed = true; continue stepLoop }
                    continue
                }
                let outcome: CalibrationOutcome
                do {
                    outcome = try stepValue.finish()
                } catch {
                    say("FAIL: \(error.message)")
                    if yes { summary.append((kind, "fail", error.message)); anyFailed = true; continue stepLoop }
                    let choice = ask("[r]edo with another recording, [s]kip, [q]uit: ")
                    if choice == "r" { sources = []; continue }
                    if choice == "s" { summary.append((kind, "fail", error.message)); continue stepLoop }
                    summary.append((kind, "fail", error.message)); break stepLoop
                }
                say("Result: \(outcome.grade.rawValue.uppercased())")
                for line in outcome.lines { say("  " + line) }
                var accept = false
                if yes {
                    accept = outcome.grade != .fail
                    if !accept { anyFailed = true }
                } else {
                    var choice = ask("[a]ccept, [r]edo, [s]kip, [q]uit: ")
                    while let c = choice, !["a", "r", "s", "q", ""].contains(c) { choice = ask("Please answer a, r, s or q: ") }
                    switch choice ?? "q" {
                    case "a", "":
                        accept = outcome.grade != .fail || ask("This result failed its checks; save it anyway? [y/N]: ") == "y"
                        if !accept { summary.append((kind, outcome.grade.rawValue, "not saved")); continue stepLoop }
                    case "r":
                        if let path = askLine("Recording for the redo (Enter: same): "), !path.isEmpty { sources = [path] }
                        continue
                    case "s": summary.append((kind, outcome.grade.rawValue, "not saved")); continue stepLoop
                    default: summary.append((kind, outcome.grade.rawValue, "quit, not saved")); break stepLoop
                    }
                }
                if accept {
                    for t in outcome.transforms {
                        results.set(t)
                        base.set(t.name, t.matrix, persistent: true)
                    }
                    if let t = outcome.temporal { results.temporal = t }
                    changed = true
                }
                summary.append((kind, outcome.grade.rawValue, (accept ? "saved: " : "not saved: ") + (outcome.lines.first ?? "")))
                break
            }
        }

        say("\n== Summary ==")
        for (kind, grade, note) in summary {
            say("  \(kind.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)) \(grade.uppercased().padding(toLength: 5, withPad: " ", startingAt: 0)) \(note)")
        }
        if changed {
            try results.write(to: outputPath)
            say("Results written to \(outputPath)")
        } else {
            say("Nothing to save.")
        }
        if yes && anyFailed { throw ExitCode(1) }
    }

    // MARK: - Steps

    private func selectedSteps() throws -> [CalibrationStepKind] {
        if step.isEmpty { return CalibrationStepKind.allCases }
        return try step.map { name in
            guard let k = CalibrationStepKind(rawValue: name.lowercased()) else {
                throw ValidationError("unknown step '\(name)'; steps are \(CalibrationStepKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return k
        }
    }

    private func recordings(for kind: CalibrationStepKind) -> [String] {
        let own: [String]
        switch kind {
        case .spacing: own = spacingRecording
        case .pivot: own = pivotRecording
        case .landmarks: own = landmarksRecording
        case .temporal: own = temporalRecording
        case .probe: own = probeRecording
        }
        return own.isEmpty ? recording : own
    }

    /// The step for `kind`, or nil (with a message) when it cannot run in this build.
    private func makeStep(_ kind: CalibrationStepKind, configuration: DeviceSetConfiguration?) throws -> (any CalibrationStep)? {
        switch kind {
        case .spacing:
            guard let depth = depth ?? (yes ? nil : askNumber("Imaging depth on the scanner (mm from the transducer face): ")) else {
                say("The spacing step needs the imaging depth (--depth): skipped.")
                return nil
            }
            let spacing = recordings(for: .spacing).first.flatMap { try? SequenceReader(path: $0).pixelSpacing }
            return SpacingStep(depth: depth, fileSpacing: spacing)
        case .pivot:
            let e = configuration?.root.first("vtkPlusPivotCalibrationAlgo")
            return PivotStep(markerFrame: e?[attribute: "ObjectMarkerCoordinateFrame"] ?? "Stylus",
                             referenceFrame: e?[attribute: "ReferenceCoordinateFrame"] ?? "Reference",
                             tipFrame: e?[attribute: "ObjectPivotPointCoordinateFrame"] ?? "StylusTip")
        case .landmarks:
            guard let configuration else {
                say("The landmark step needs --config with the phantom's PhantomDefinition/Geometry/Landmarks: skipped.")
                return nil
            }
            var s = LandmarkStep(registration: try PhantomLandmarkRegistration(configuration: configuration))
            if let e = configuration.root.first("vtkPlusPhantomLandmarkRegistrationAlgo") {
                s.phantomFrame = e[attribute: "PhantomCoordinateFrame"] ?? s.phantomFrame
                s.referenceFrame = e[attribute: "ReferenceCoordinateFrame"] ?? s.referenceFrame
                s.tipFrame = e[attribute: "StylusTipCoordinateFrame"] ?? s.tipFrame
            }
            return s
        case .probe:
            guard let configuration else {
                say("The probe step needs --config with the N-wire PhantomDefinition and Segmentation settings: skipped.")
                return nil
            }
            let phantom = try NWirePhantom(configuration: configuration.root)
            var s = ProbeStep(phantom: phantom,
                              segmenter: try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: configuration.root), phantom: phantom))
            if let e = configuration.root.first("vtkPlusProbeCalibrationAlgo") {
                s.imageFrame = e[attribute: "ImageCoordinateFrame"] ?? s.imageFrame
                s.probeFrame = e[attribute: "ProbeCoordinateFrame"] ?? s.probeFrame
                s.phantomFrame = e[attribute: "PhantomCoordinateFrame"] ?? s.phantomFrame
                s.referenceFrame = e[attribute: "ReferenceCoordinateFrame"] ?? s.referenceFrame
            }
            return s
        case .temporal:
            return TemporalStep()
        }
    }

    /// Streams every recording's frames into the step, with a progress line.
    private func feed(_ step: inout any CalibrationStep, from paths: [String], base: TransformRepository) throws {
        var sources: [any TrackedFrameSource] = []
        for path in paths { sources.append(try RecordingFrameSource(path: path)) }
        try feed(&step, from: sources, base: base)
    }

    /// Streams frames from `sources` (recordings; live receivers are other sources) into the step.
    private func feed(_ step: inout any CalibrationStep, from sources: [any TrackedFrameSource], base: TransformRepository) throws {
        for (index, var source) in sources.enumerated() {
            step.beginSource(index, of: sources.count)
            let bar = ProgressBar(total: source.expectedCount ?? 1, label: "frames")
            var n = 0
            while let frame = try source.next() {
                step.consume(frame, base: base)
                n += 1
                if n % 10 == 0 { bar.update(n, note: step.progress) }
                if step.isComplete { break }
            }
            bar.finish()
            say("  \(source.name): \(n) frames; \(step.progress)")
            if step.isComplete { break }
        }
    }

    // MARK: - Terminal

    private func say(_ s: String) {
        print(s)
        fflush(stdout)
    }

    /// Prompts and reads one answer (lower-cased, trimmed); nil at end of input.
    private func ask(_ prompt: String) -> String? { askLine(prompt)?.lowercased() }

    /// Prompts and reads one line as typed (trimmed); nil at end of input.
    private func askLine(_ prompt: String) -> String? {
        print(prompt, terminator: "")
        fflush(stdout)
        guard let line = readLine() else { print(""); return nil }
        return line.trimmingCharacters(in: .whitespaces)
    }

    private func askNumber(_ prompt: String) -> Double? {
        while let answer = ask(prompt) {
            if answer.isEmpty { return nil }
            if let v = Double(answer), v > 0 { return v }
            say("Please type a positive number of millimetres.")
        }
        return nil
    }

    private func wrap(_ text: String, width: Int = 96) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, !line.isEmpty { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
