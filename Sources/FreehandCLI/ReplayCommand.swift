import ArgumentParser
import FileSafety
import Foundation
import Geometry
import Live
import Reconstruction

/// `freehand replay`: act as a PlusServer streaming a recording (or a synthetic sweep).
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Stream a recorded sequence over OpenIGTLink on 127.0.0.1, as PlusServer would.",
        discussion: """
        Each frame's valid tracker transforms go out as TRANSFORM messages (ProbeToTracker, ...) and the \
        image as IMAGE Image_Reference whose matrix is ImageToReference computed with the configuration's \
        calibration (spacing included), stamped with wall-clock times that keep the recorded spacing. \
        Header v1 by default, v2 for clients that send v2; STATUS keep-alives every second. Streaming \
        starts when the first client connects (--wait-for-clients 0: at once).

        --synthetic WxH streams a generated sweep instead (IMAGE Image_Probe + ProbeToTracker at twice the \
        frame rate + ReferenceToTracker), for soak tests: freehand replay --synthetic 640x480 --fps 30 --duration 60

        Example: freehand replay SpinePhantomFreehand.igs.mha --config PlusDeviceSet.xml --loop
        """
    )

    @Argument(help: "The recorded sequence (not with --synthetic).") var recording: String?
    @Option(help: "Port on 127.0.0.1.") var port = 18944
    @Option(name: .shortAndLong, help: "PLUS device-set configuration with the calibration (ImageToProbe, ...). Default: <recording>.config.xml when present.") var config: String?
    @Option(help: "Playback speed (1 = recorded timing).") var rate = 1.0
    @Flag(help: "Send as fast as the clients take messages (nothing is dropped).") var asFastAsPossible = false
    @Flag(help: "Start over at the end.") var loop = false
    @Option(help: "Stream a synthetic WIDTHxHEIGHT sweep instead of a recording.") var synthetic: String?
    @Option(help: "Synthetic frame rate.") var fps = 30.0
    @Option(help: "Stop after this many seconds of stream time.") var duration: Double?
    @Option(help: "Clients to wait for before starting.") var waitForClients = 1
    @Flag(name: .shortAndLong, help: "No progress notices.") var quiet = false

    func run() async throws {
        guard rate > 0 else { throw ValidationError("--rate must be positive") }
        var options = LiveReplayer.Options()
        options.port = port
        options.rate = rate
        options.asFastAsPossible = asFastAsPossible
        options.loop = loop
        options.duration = duration
        options.waitForClients = max(0, waitForClients)
        let terminal = LiveTerminalBox()
        if !quiet { options.notice = { terminal.print("freehand: " + $0) } }
        let replayer = LiveReplayer(options: options)
        let ui = LiveTerminal(onStop: { replayer.stop() })
        terminal.set(ui)

        let summary: LiveReplayer.Summary
        if let synthetic {
            guard recording == nil else { throw ValidationError("give a recording or --synthetic, not both") }
            let parts = synthetic.lowercased().split(separator: "x").compactMap { Int($0) }
            guard parts.count == 2, parts[0] > 0, parts[1] > 0, parts[0] <= 4096, parts[1] <= 4096 else {
                throw ValidationError("--synthetic takes WIDTHxHEIGHT, e.g. 640x480 (at most 4096x4096)")
            }
            guard fps > 0, fps <= 1000 else { throw ValidationError("--fps must be in (0, 1000]") }
            if let duration, !(duration.isFinite && duration > 0 && duration <= 1e7) {
                throw ValidationError("--duration must be a positive number of seconds, at most 10000000 (got \(duration))")
            }
            let frames = duration.map { Int(($0 * fps).rounded(.up)) }
            summary = try await replayer.run(SyntheticReplaySource(width: parts[0], height: parts[1], fps: fps, frameCount: loop ? nil : frames))
        } else {
            guard let recording else { throw ValidationError("give a recording to replay (or --synthetic WxH)") }
            let configPath = config ?? ReconstructCommand.configBeside(recording)
            var paths = PathGuard()
            paths.recording("recording", recording)
            if let configPath { paths.input("configuration", configPath) }
            try paths.check()
            var calibration = TransformRepository()
            var name = TransformName(from: "Image", to: "Reference")
            if let configPath {
                let (c, settings) = try LiveSetup.load(configPath)
                calibration = c
                if let settings { name = settings.imageToReferenceName }
            }
            let source = try RecordingReplaySource(path: recording, calibration: calibration, imageToReference: name)
            summary = try await replayer.run(source)
        }
        ui.finish()
        print("freehand: sent \(summary.imagesSent) images and \(summary.transformsSent) transforms in "
              + String(format: "%.1f s", summary.seconds)
              + " (\(summary.passes) pass\(summary.passes == 1 ? "" : "es"), \(summary.droppedForSlowClients) messages skipped for slow clients)")
    }
}
