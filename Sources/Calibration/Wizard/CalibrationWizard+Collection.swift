import Geometry
import Recordings

extension CalibrationWizard {
    /// Streams every recording's frames into the step, with a progress line.
    func collect(_ step: inout any CalibrationStep, from paths: [String]) throws {
        var sources: [RecordingFrameSource] = []
        for path in paths { sources.append(try RecordingFrameSource(path: path)) }
        let pair = step.kind == .probe ? pairProbeFrame : nil
        for (index, var source) in sources.enumerated() {
            step.beginSource(index, of: sources.count)
            io.beginProgress(total: source.expectedCount ?? 1, label: "frames")
            var n = 0
            while let frame = try source.next() {
                step.consume(pair.map { $0(frame) } ?? frame, base: base)
                n += 1
                if n % 10 == 0 { io.progress(n, note: step.progress) }
                if step.isComplete { break }
            }
            io.endProgress()
            io.say("  \(source.name): \(n) frames; \(step.progress)")
            if step.isComplete { break }
        }
    }

    /// Collects the step's frames live, with a progress line that shows what is received while
    /// nothing usable arrives; an interrupt ends the collection (the step then computes its
    /// result from what it has).
    func collectLive(_ step: inout any CalibrationStep) throws {
        guard let openLive else { return }
        var request = LiveRequest.frames(for: step)
        request.maxFrames = options.liveFrames
        request.duration = options.liveDuration
        let source = openLive(request)
        defer { source.close() }
        step.beginSource(0, of: 1)
        io.beginProgress(total: options.liveFrames, label: "frames")
        let untilEnough = options.liveFrames == nil && options.liveDuration == nil
        var n = 0
        // What is received (devices, rates) and awaited, every second: while no frame arrives, and
        // while frames arrive that the step cannot use (images without the tracker poses, ...).
        let clock = ContinuousClock()
        var lastStatus = clock.now
        try io.interruptible(stop: { source.stop() }) {
            while let frame = try source.next(statusEvery: 1, { io.status("  \(n) frames; \(step.progress); \($0)"); lastStatus = clock.now }) {
                step.consume(frame, base: base)
                n += 1
                if clock.now - lastStatus >= .seconds(1) {
                    io.status("  \(n) frames; \(step.progress); \(source.reception)")
                    lastStatus = clock.now
                } else if n % 10 == 0 {
                    io.progress(n, note: step.progress)
                }
                if step.isComplete || (untilEnough && step.collectedEnough) { break }
            }
        }
        io.endProgress()
        let enough = step.isComplete || (untilEnough && step.collectedEnough)
        let notes = source.endNotes
        io.say("  \(source.name): \(n) frames (\(enough ? "the step has enough" : notes.reason ?? "stopped")); \(step.progress)")
        if n == 0 { io.say("  received: \(source.reception)") }
        for w in notes.warnings { io.say("  warning: \(w)") }
    }
}
