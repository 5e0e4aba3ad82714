import ArgumentParser
import Foundation
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
    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var tracker: TrackerOptions
    @Option(help: "Port on 127.0.0.1.") var port = 18944
    @Option(help: "Playback speed (1 = recorded timing).") var rate = 1.0
    @Flag(help: "Send as fast as the clients take messages (nothing is dropped).") var asFastAsPossible = false
    @Flag(help: "Start over at the end.") var loop = false
    @Option(help: "Stream a synthetic WIDTHxHEIGHT sweep (at most 4096x4096) instead of a recording.") var synthetic: FrameSize?
    @Option(help: "Synthetic frame rate.") var fps = 30.0
    @Option(help: "Stop after this many seconds of stream time.") var duration: Double?
    @Option(help: "Clients to wait for before starting.") var waitForClients = 1
    @Flag(name: .shortAndLong, help: "No progress notices.") var quiet = false

    func validate() throws {
        guard rate.isFinite, rate > 0 else { throw ValidationError("--rate must be positive") }
        guard fps.isFinite, fps > 0, fps <= 1000 else { throw ValidationError("--fps must be in (0, 1000]") }
        if let duration, !(duration.isFinite && duration > 0 && duration < 1e7) { throw ValidationError("--duration must be a positive number of seconds") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard (synthetic == nil) != (recording == nil) else {
            throw ValidationError(recording == nil ? "give a recording to replay (or --synthetic WxH)" : "give a recording or --synthetic, not both")
        }
    }

    func run() async throws {
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
            let frames = duration.map { Int(($0 * fps).rounded(.up)) }
            summary = try await replayer.run(SyntheticReplaySource(width: synthetic.width, height: synthetic.height, fps: fps,
                                                                   frameCount: loop ? nil : frames))
        } else {
            let setup = try ReconstructionSetup(tracker.apply(to: configuration.request(recording: recording)))
            summary = try await replayer.run(try RecordingReplaySource(setup: setup))
        }
        ui.finish()
        print(summary.description)
    }
}
