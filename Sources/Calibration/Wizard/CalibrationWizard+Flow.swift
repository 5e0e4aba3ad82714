import Geometry
import Recordings

extension CalibrationWizard {
    /// The user's answer to a prompt.
    enum Choice { case go, accept, redo, skip, quit }

    /// One step, from instructions to accepted (or not) result.
    mutating func runStep(_ kind: CalibrationStepKind) -> (report: StepReport, accepted: CalibrationOutcome?) {
        func report(_ status: StepReport.Status, _ grade: CalibrationGrade? = nil, _ note: String = "") -> (StepReport, CalibrationOutcome?) {
            (StepReport(step: kind, status: status, grade: grade, note: note), nil)
        }
        /// A step that cannot run: a failure when it was asked for by name in a script.
        func unavailable(_ why: String) -> (StepReport, CalibrationOutcome?) {
            io.say(why)
            return report(options.assumeYes && options.stepsChosen ? .failed : .skipped, nil, why)
        }
        var made: any CalibrationStep
        switch makeStep(kind) {
        case .step(let s): made = s
        case .unavailable(let why): return unavailable(why)
        case .quit: return report(.quit, nil, "quit")
        }
        io.say(wrap(made.instructions))
        var sources = options.recordings(for: kind)
        if isLive { io.say("Live from \(liveAddress): " + liveStopText) }
        if !options.assumeYes {
            switch choose("Press Enter to start, s to skip, q to quit: ", [("", .go), ("s", .skip), ("q", .quit)]) {
            case .skip: return report(.skipped)
            case .quit: return report(.quit, nil, "quit")
            default: break
            }
        }
        while true {
            // Collect.
            if !isLive && sources.isEmpty {
                if options.assumeYes {
                    return unavailable("No recording given for this step (--\(kind.rawValue)-recording or --recording).")
                }
                guard let path = io.ask("Recording for this step (empty to skip): "), !path.isEmpty else { return report(.skipped) }
                sources = [path]
            }
            made.reset()
            do {
                if isLive { try collectLive(&made) } else { try collect(&made, from: sources) }
            } catch {
                io.say("error: \(error)")
                if options.assumeYes { return report(.failed, nil, "\(error)") }
                switch choose(isLive ? "[r]etry, [s]kip, [q]uit: " : "[r]etry with another recording, [s]kip, [q]uit: ",
                              [("r", .redo), ("s", .skip), ("q", .quit)]) {
                case .redo: if !isLive { sources = [] }; continue
                case .skip: return report(.failed, nil, "\(error)")
                default: return report(.quit, nil, "\(error)")
                }
            }
            // Compute and grade.
            let outcome: CalibrationOutcome
            do {
                outcome = try made.finish()
            } catch {
                io.say("FAIL: \(error.message)")
                if options.assumeYes { return report(.failed, .fail, error.message) }
                switch choose(isLive ? "[r]edo (collect again), [s]kip, [q]uit: " : "[r]edo with another recording, [s]kip, [q]uit: ",
                              [("r", .redo), ("s", .skip), ("q", .quit)]) {
                case .redo:
                    if !isLive { sources = [] }
                    if case .step(let s) = redoSettings(made) { made = s }
                    continue
                case .skip: return report(.failed, .fail, error.message)
                default: return report(.quit, .fail, error.message)
                }
            }
            io.say("Result: \(outcome.grade.rawValue.uppercased())")
            for line in outcome.lines { io.say("  " + line) }
            let first = outcome.lines.first ?? ""
            if options.assumeYes {
                return outcome.grade == .fail ? report(.failed, .fail, first) : (StepReport(step: kind, status: .saved, grade: outcome.grade, note: first), outcome)
            }
            switch choose("[a]ccept, [r]edo, [s]kip, [q]uit: ", [("a", .accept), ("", .accept), ("r", .redo), ("s", .skip), ("q", .quit)]) {
            case .accept:
                if outcome.grade == .fail && io.ask("This result failed its checks; save it anyway? [y/N]: ")?.lowercased() != "y" {
                    return report(.failed, .fail, "not saved")
                }
                return (StepReport(step: kind, status: .saved, grade: outcome.grade, note: first), outcome)
            case .redo:
                if case .step(let s) = redoSettings(made) { made = s }
                if !isLive, let path = io.ask("Recording for the redo (Enter: same): "), !path.isEmpty { sources = [path] }
                continue
            case .skip:
                return report(outcome.grade == .fail ? .failed : .notSaved, outcome.grade, "skipped")
            default:
                return report(.quit, outcome.grade, "quit, not saved")
            }
        }
    }

    /// Asks until one of `answers` (case-insensitive) is given; the end of input quits.
    func choose(_ prompt: String, _ answers: [(String, Choice)]) -> Choice {
        var text = prompt
        while let a = io.ask(text)?.lowercased() {
            if let c = answers.first(where: { $0.0 == a }) { return c.1 }
            let named = answers.map(\.0).filter { !$0.isEmpty }
            text = "Please answer \(named.dropLast().joined(separator: ", ")) or \(named.last ?? "q"): "
        }
        return .quit
    }

    /// Before a redo: settings the user may change (the spacing step's depth).
    mutating func redoSettings(_ step: any CalibrationStep) -> StepChoice {
        guard var s = step as? SpacingStep, !options.assumeYes else { return .step(step) }
        guard let depth = askNumber("Imaging depth for the redo, mm (Enter: same, \(formatted(s.depth)) mm): ") else { return .step(s) }
        s.depth = depth
        options.depth = depth
        return .step(s)
    }

    /// Reads a depth in millimetres within the plausible range; nil when the answer is empty.
    func askNumber(_ prompt: String) -> Double? {
        while let answer = io.ask(prompt) {
            if answer.isEmpty { return nil }
            if let v = Double(answer), SpacingPlausibility.depth.contains(v) { return v }
            io.say("Please type a depth in millimetres between \(formatted(SpacingPlausibility.depth.lowerBound)) and \(formatted(SpacingPlausibility.depth.upperBound)).")
        }
        return nil
    }

    var liveStopText: String {
        if let n = options.liveFrames { return "collecting \(n) frames (Ctrl-C stops early)." }
        if let d = options.liveDuration { return "collecting for \(formatted(d)) s (Ctrl-C stops early)." }
        return "collecting until the step has enough (Ctrl-C stops early)."
    }

    func wrap(_ text: String, width: Int = 96) -> String {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if line.count + word.count + 1 > width, !line.isEmpty { lines.append(line); line = "" }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}
