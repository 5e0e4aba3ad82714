import ArgumentParser
import Foundation
import Live
import Reconstruction

/// `freehand listen`: receive a tracked stream over OpenIGTLink and reconstruct live.
struct ListenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "listen",
        abstract: "Receive tracked ultrasound from PlusServer (or any OpenIGTLink server) and compound a volume live.",
        discussion: """
        Connects as a client. IMAGE messages named <Image>_<Frame> (PlusServer's Image_Reference) carry \
        that transform in their matrix, spacing included; it is chained with the calibration from --config \
        and with TRANSFORM/POSITION/TDATA tracker poses interpolated at each image's timestamp. Frames are \
        pasted into a volume as they arrive. Ctrl-C stops and writes the final volume (hole-filled when the \
        configuration says FillHoles="ON" or --fill-holes is given); SIGUSR1 or typing s + Enter writes a snapshot.

        Grid: --origin/--extent, or the configuration's OutputOrigin/OutputExtent, or --grid-from a \
        volume (its grid, as `reconstruct --grid-from`), or --grid-from-recording a recording (the grid \
        `freehand reconstruct` computes for it); on these fixed grids the status line counts frames partly \
        and wholly outside. Else automatic: a working grid from the first frames grows whenever a frame \
        reaches outside it (the frames are kept and pasted again), and the final volume has PLUS's exact \
        automatic extent, as `freehand reconstruct` of the same frames. Grid and kept frames stay within \
        --max-memory; beyond it the grid stops growing, with a notice, and counts outside frames.

        Plus Remote: 3D Slicer's Plus Remote module, connected to the --serve-volume port, drives \
        live reconstruction (start, suspend, resume, snapshot, stop) and recording as with PlusServer; \
        its files go to --remote-dir (default: the output's folder), never outside it.

        Example: freehand listen --config PlusDeviceSet.xml -o live.nrrd --serve-volume 18945
        """
    )

    @OptionGroup var stream: StreamOptions
    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var reconstruction: ReconstructionOptions
    @OptionGroup var grid: GridOptions
    @Option(name: .shortAndLong, help: "Final volume (.nrrd, .mha, .mhd); snapshots go beside it as <name>-snapshot-NNN.") var output = "live-volume.nrrd"
    @Option(help: "Write a snapshot every N seconds.") var snapshotEvery: Double?
    @Option(help: "Serve the growing volume as a 3-D IMAGE 'LiveVolume' on 127.0.0.1:PORT (e.g. for 3D Slicer).") var serveVolume: Int?
    @Option(help: "Seconds between volumes sent to --serve-volume clients.") var serveInterval = 2.0
    @Option(help: "Folder Plus Remote commands (on --serve-volume) write volumes and recordings into (default: the output's folder).") var remoteDir: String?
    @Option(help: "Frames waiting for compounding at most; beyond, the oldest are dropped and counted.") var frameQueue = 2
    @Flag(help: "Never drop frames: stop reading while 64 messages wait, so TCP holds the sender back.") var lossless = false
    @Flag(help: "Print a report line every 10 s (rate, drops, latency, memory) and a final report.") var report = false
    @Flag(name: .shortAndLong, help: "No status line.") var quiet = false
    @Flag(help: "Write the volume even when no pixel landed in it, instead of failing with the cause.") var allowEmpty = false

    func validate() throws {
        if let snapshotEvery, !(snapshotEvery.isFinite && snapshotEvery > 0) { throw ValidationError("--snapshot-every must be a positive number of seconds") }
        if let serveVolume, !(0...65535).contains(serveVolume) { throw ValidationError("--serve-volume must be a port between 0 and 65535") }
        guard serveInterval.isFinite, serveInterval > 0 else { throw ValidationError("--serve-interval must be a positive number of seconds") }
        if let remoteDir {
            guard serveVolume != nil else { throw ValidationError("--remote-dir needs --serve-volume: Plus Remote commands arrive on that port") }
            var folder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: remoteDir, isDirectory: &folder), folder.boolValue else {
                throw ValidationError("--remote-dir \(remoteDir) is not an existing folder")
            }
        }
        guard (1...4096).contains(frameQueue) else { throw ValidationError("--frame-queue must be between 1 and 4096") }
    }

    func run() async throws {
        let request = grid.apply(to: reconstruction.apply(to: configuration.request()))
        let setup = try ReconstructionSetup(request)
        let terminal = LiveTerminalBox()
        var options = LiveReceiver.Options(settings: try setup.requiredSettings(), grid: try grid.grid(setup))
        options.host = stream.host
        options.port = stream.port
        options.pairing = stream.apply(to: setup.pairing)
        options.imageDevice = stream.imageDevice
        options.stallTime = stream.stallTime
        options.frameQueueCapacity = frameQueue
        options.lossless = lossless
        options.threads = reconstruction.threads
        options.memoryBudget = reconstruction.memoryBudget
        options.output = output
        options.allowEmpty = allowEmpty
        options.snapshotInterval = snapshotEvery
        options.serveVolumePort = serveVolume
        options.serveInterval = serveInterval
        options.plusRemote.directory = remoteDir
        options.plusRemote.protectedPaths = [setup.configPath, grid.gridFrom, grid.gridFromRecording, setup.importanceMaskPath].compactMap { $0 } + setup.request.calibrations
        options.duration = stream.duration
        options.maxFrames = stream.frames
        options.reconnect = !stream.noReconnect
        options.notice = { terminal.print("freehand: " + $0) }
        let receiver = LiveReceiver(options: options)
        let ui = LiveTerminal(onStop: { receiver.stop() }, onSnapshot: { receiver.requestSnapshot() })
        terminal.set(ui)
        if !quiet { ui.showStatus { receiver.status.line } }
        let reporter = report ? Task {
            await LiveStatus.reportPeriodically(status: { receiver.status }) { line in
                ui.clearStatus()
                print("report " + line)
                fflush(nil)
            }
        } : nil

        let summary = try await receiver.run()
        reporter?.cancel()
        ui.finish()
        if report { print("final " + summary.status.reportLine) }
        print(summary.description)
    }
}
