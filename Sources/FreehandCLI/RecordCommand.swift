import ArgumentParser
import Foundation
import Geometry
import Live

/// `freehand record`: save an OpenIGTLink stream to a PLUS sequence file.
struct RecordCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "record",
        abstract: "Record a tracked ultrasound stream from PlusServer (or any OpenIGTLink server) to a PLUS sequence file.",
        discussion: """
        Frames are appended to <name>.mhd + <name>.raw as they arrive; the header is rewritten (atomically) \
        after every frame by default, so the files stay a complete, readable sequence even if the process is \
        killed. Each frame holds the image, the transforms paired with it (the IMAGE's embedded transform, \
        every tracker pose interpolated at the image time) and the resulting ImageToReference, so \
        `freehand reconstruct capture.igs.mha --spacing 0.5` works without a configuration. On a clean stop \
        (Ctrl-C, --duration, --frames) an output other than .mhd (e.g. .igs.mha) is written and the live files removed.

        Example: freehand record -o capture.igs.mha --duration 60
        """
    )

    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 18944
    @Option(name: .shortAndLong, help: "Sequence file: .mhd (kept as recorded), or .igs.mha/.mha/.igs.nrrd/.seq.nrrd (written at the end).") var output = "capture.igs.mha"
    @Option(name: .shortAndLong, help: "PLUS device-set configuration (calibration used to compute ImageToReference).") var config: String?
    @Option(help: "Rewrite the header after this many frames (a kill loses at most N-1 frames).") var flushEvery = 1
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Option(help: "Stop after this many images.") var frames: Int?
    @Option(help: "Pose source: auto, matrix or tracker.") var pose: PoseChoice = .auto
    @Flag(help: "Stop when the server disconnects instead of reconnecting.") var noReconnect = false
    @Flag(name: .shortAndLong, help: "No status line.") var quiet = false

    func run() async throws {
        guard flushEvery >= 1 else { throw ValidationError("--flush-every must be at least 1") }
        var pairing = FramePairer.Configuration()
        if let config {
            let (calibration, settings) = try LiveSetup.load(config)
            pairing = LiveSetup.pairing(calibration: calibration, settings: settings)
        }
        pairing.poseSource = pose.value
        let terminal = LiveTerminalBox()
        var options = LiveRecorder.Options(output: output)
        options.host = host
        options.port = port
        options.pairing = pairing
        options.flushEvery = flushEvery
        options.duration = duration
        options.maxFrames = frames
        options.reconnect = !noReconnect
        options.notice = { terminal.print("freehand: " + $0) }
        let recorder = LiveRecorder(options: options)
        let ui = LiveTerminal(onStop: { recorder.stop() })
        terminal.set(ui)
        let start = Date()
        if !quiet { ui.showStatus { String(format: "recording: %d frames, %.1f s", recorder.framesWritten, Date().timeIntervalSince(start)) } }
        let summary = try await recorder.run()
        ui.finish()
        var line = "freehand: \(summary.framesWritten) frames recorded"
        if summary.framesWithoutPose > 0 { line += " (\(summary.framesWithoutPose) without a valid pose)" }
        if summary.framesNotWritten > 0 { line += ", \(summary.framesNotWritten) NOT written (see the first error above)" }
        line += ", \(summary.trackerSamples) tracker samples"
        if summary.nonFiniteTrackerSamples > 0 { line += " (\(summary.nonFiniteTrackerSamples) non-finite, recorded INVALID)" }
        if summary.framesIgnored > 0 { line += ", \(summary.framesIgnored) images of other devices ignored" }
        line += String(format: " in %.1f s -> %@", summary.seconds, summary.path)
        print(line)
    }
}
