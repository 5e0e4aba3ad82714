#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import FileSafety
import Calibration
import Foundation
import Geometry
import Live
import Recordings

/// `freehand calibrate`: a terminal wizard through spacing, stylus, phantom, probe and temporal
/// calibration, fed from recordings or live from PlusServer / `freehand replay` over OpenIGTLink.
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

        Live: --host/--port collect each step's frames from an OpenIGTLink server (PlusServer, `freehand \
        replay`) instead of a recording; a redo collects again. Collection ends after --frames N or \
        --duration S when given, else when the step has what fCal acquires (pivot: 200 poses with 15 deg \
        of tilt; landmarks: all found; probe: 200 + 100 frames with the wires found, every fourth frame \
        held out for validation; spacing: 90 frames; temporal: 15 s), when the server closes, or on \
        Ctrl-C (the step then uses what it has). Pivot and landmark steps use the TRANSFORMs only (the \
        poses sent with one timestamp form one frame). Spacing, probe and temporal use the IMAGEs, with \
        the trackers interpolated at each image's time; the IMAGE matrix is ignored, so the server must \
        send the tracker transforms (ProbeToTracker, ReferenceToTracker), not only an Image_Reference \
        with an old calibration baked in. PlusServer configuration for that, in \
        <PlusOpenIGTLinkServer ... SendValidTransformsOnly="true"> (frame names as in your --config):
          <DefaultClientInfo>
            <MessageTypes>
              <Message Type="IMAGE"/>
              <Message Type="TRANSFORM"/>
            </MessageTypes>
            <TransformNames>
              <Transform Name="StylusToTracker"/>
              <Transform Name="ProbeToTracker"/>
              <Transform Name="ReferenceToTracker"/>
            </TransformNames>
            <ImageNames>
              <Image Name="Image" EmbeddedTransformToFrame="Image"/>
            </ImageNames>
          </DefaultClientInfo>
        Example: freehand calibrate --step pivot --host 127.0.0.1 --port 18944 --yes
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

    @Option(name: .long, help: "Collect live from this OpenIGTLink server (PlusServer, freehand replay) instead of recordings.")
    var host: String?
    @Option(name: .long, help: "Port of the live server (default 18944; implies --host 127.0.0.1).")
    var port: Int?
    @Option(name: .long, help: "Live: stop collecting a step after this many frames.")
    var frames: Int?
    @Option(name: .long, help: "Live: stop collecting a step after this many seconds.")
    var duration: Double?

    @Option(name: .long, help: "PLUS device-set configuration: calibration transforms, phantom definition, frame names.")
    var config: String?

    @Option(name: .long, help: "Imaging depth set on the scanner (mm from the transducer face), for the spacing step.")
    var depth: Double?

    @Option(name: .long, help: "Where to save the results (default Calibrations/Calibration-<date>.xml). An existing file is updated.")
    var output: String?

    @Flag(name: .long, help: "Non-interactive: run the steps and accept every result that does not fail.")
    var yes = false

    /// Live input instead of recordings.
    private var isLive: Bool { host != nil || port != nil }

    func validate() throws {
        let recordingOptions = [("--recording", recording), ("--spacing-recording", spacingRecording), ("--pivot-recording", pivotRecording),
                                ("--landmarks-recording", landmarksRecording), ("--probe-recording", probeRecording),
                                ("--temporal-recording", temporalRecording)].filter { !$0.1.isEmpty }.map(\.0)
        if isLive, let first = recordingOptions.first {
            throw ValidationError("--host/--port (live input) and \(first) (recorded input) are mutually exclusive: give one or the other")
        }
        if !isLive, frames != nil || duration != nil {
            throw ValidationError("--frames and --duration limit live collection: give --host (and --port) too")
        }
        if frames != nil && duration != nil { throw ValidationError("give --frames or --duration, not both") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if let duration, !(duration > 0) { throw ValidationError("--duration must be a positive number of seconds") }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be in 1...65535") }
    }

    func run() throws {
        let kinds = try selectedSteps()
        let outputPath = output ?? "Calibrations/Calibration-\(CalibrationResults.dateStamp()).xml"
        var paths = PathGuard()
        for r in recording + spacingRecording + pivotRecording + landmarksRecording + probeRecording + temporalRecording {
            paths.recording("recording", r)
        }
        if let config { paths.input("configuration", config) }
        paths.output("results", outputPath, createsFolder: true)
        try paths.check()
        let configuration = try config.map { try DeviceSetConfiguration.load($0) }
        var base = configuration?.transformRepository() ?? TransformRepository()
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
            if isLive { say("Live from \(liveAddress): " + liveStopText) }
            if !yes {
                var answer = ask("Press Enter to start, s to skip, q to quit: ")
                while let a = answer, !["", "s", "q"].contains(a) { answer = ask("Please press Enter, or answer s or q: ") }
                if answer == "q" || answer == nil { summary.append((kind, "-", "quit")); break stepLoop }
                if answer == "s" { summary.append((kind, "-", "skipped")); continue }
            }
            while true {
                if isLive {
                    stepValue.reset()
                    do {
                        try feedLive(&stepValue, base: base)
                    } catch {
                        say("error: \(error)")
                        if yes { summary.append((kind, "fail", "\(error)")); anyFailed = true; continue stepLoop }
                        let choice = ask("[r]etry, [s]kip, [q]uit: ")
                        if choice == "r" { continue }
                        summary.append((kind, "-", "\(error)"))
                        if choice == "s" { continue stepLoop }
                        break stepLoop
                    }
                } else {
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
                }
                let outcome: CalibrationOutcome
                do {
                    outcome = try stepValue.finish()
                } catch {
                    say("FAIL: \(error.message)")
                    if yes { summary.append((kind, "fail", error.message)); anyFailed = true; continue stepLoop }
                    let choice = ask(isLive ? "[r]edo (collect again), [s]kip, [q]uit: " : "[r]edo with another recording, [s]kip, [q]uit: ")
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
                        if isLive { continue }
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

    /// Streams frames from recordings into the step (live input goes through `feedLive`).
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

    // MARK: - Live

    private var liveAddress: String { "\(host ?? "127.0.0.1"):\(port ?? 18944)" }

    private var liveStopText: String {
        if let frames { return "collecting \(frames) frames (Ctrl-C stops early)." }
        if let duration { return "collecting for \(duration) s (Ctrl-C stops early)." }
        return "collecting until the step has enough (Ctrl-C stops early)."
    }

    /// Collects the step's frames from the live server, with a progress line; Ctrl-C ends the
    /// collection (the step then computes its result from what it has).
    private func feedLive(_ step: inout any CalibrationStep, base: TransformRepository) throws {
        var options = LiveFrameSource.Options(host: host ?? "127.0.0.1", port: port ?? 18944)
        switch step {
        case let s as ProbeStep:
            options.content = .images(poseFrame: s.probeFrame)
            options.referenceFrame = s.referenceFrame
        case let s as TemporalStep:
            options.content = .images(poseFrame: s.probeFrame)
            options.referenceFrame = s.referenceFrame
        case is SpacingStep:
            options.content = .images(poseFrame: nil)
        default:
            options.content = .tracker
        }
        options.maxFrames = frames
        options.duration = duration
        let source = LiveFrameSource(options: options)
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { source.stop() }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
            source.close()
        }
        step.beginSource(0, of: 1)
        let bar = ProgressBar(total: frames, label: "frames")
        let untilEnough = frames == nil && duration == nil
        var n = 0
        while let frame = try source.next() {
            step.consume(frame, base: base)
            n += 1
            if n % 10 == 0 { bar.update(n, note: step.progress) }
            if step.isComplete || (untilEnough && step.collectedEnough) { break }
        }
        bar.finish()
        let statistics = source.statistics
        let why = step.isComplete || (untilEnough && step.collectedEnough) ? "the step has enough" : statistics.endReason?.description ?? "stopped"
        say("  \(source.name): \(n) frames (\(why)); \(step.progress)")
        if statistics.framesDropped + statistics.messagesDropped > 0 {
            say("  warning: \(statistics.framesDropped) frames and \(statistics.messagesDropped) messages dropped because processing fell behind")
        }
    }

    // MARK: - Terminal

    private func say(_ s: String) {
        print(s)
        fflush(nil)
    }

    /// Prompts and reads one answer (lower-cased, trimmed); nil at end of input.
    private func ask(_ prompt: String) -> String? { askLine(prompt)?.lowercased() }

    /// Prompts and reads one line as typed (trimmed); nil at end of input.
    private func askLine(_ prompt: String) -> String? {
        print(prompt, terminator: "")
        fflush(nil)
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
