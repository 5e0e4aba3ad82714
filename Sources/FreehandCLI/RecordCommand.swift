import ArgumentParser
import Foundation
import Live
import Reconstruction

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

    @OptionGroup var stream: StreamOptions
    @OptionGroup var configuration: ConfigurationOptions
    @Option(name: .shortAndLong, help: "Sequence file: .mhd (kept as recorded), or .igs.mha/.mha/.igs.nrrd/.seq.nrrd (written at the end).") var output = "capture.igs.mha"
    @Option(help: "Rewrite the header after this many frames (a kill loses at most N-1 frames).") var flushEvery = 1
    @Flag(name: .shortAndLong, help: "No status line.") var quiet = false

    func validate() throws {
        guard flushEvery >= 1 else { throw ValidationError("--flush-every must be at least 1") }
    }

    func run() async throws {
        let setup = try ReconstructionSetup(configuration.request())
        let terminal = LiveTerminalBox()
        var options = LiveRecorder.Options(output: output)
        options.host = stream.host
        options.port = stream.port
        options.pairing = stream.apply(to: setup.pairing, defaultMaxWait: 2000)
        options.imageDevice = stream.imageDevice
        options.flushEvery = flushEvery
        options.duration = stream.duration
        options.maxFrames = stream.frames
        options.reconnect = !stream.noReconnect
        options.notice = { terminal.print("freehand: " + $0) }
        let recorder = LiveRecorder(options: options)
        let ui = LiveTerminal(onStop: { recorder.stop() })
        terminal.set(ui)
        let start = Date()
        if !quiet { ui.showStatus { String(format: "recording: %d frames, %.1f s", recorder.framesWritten, Date().timeIntervalSince(start)) } }
        let summary = try await recorder.run()
        ui.finish()
        print(summary.description)
    }
}
