import ArgumentParser
import Foundation
import Geometry
import IGTLink
import Imaging
import Live
import Reconstruction
import Recordings
import Synchronization

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
        configuration says FillHoles="ON"); SIGUSR1 or typing s + Enter writes a snapshot.

        Grid: --origin/--extent, or the configuration's OutputOrigin/OutputExtent, or --grid-from a \
        recording (the grid `freehand reconstruct` computes for it), else automatic from the first frames.

        Example: freehand listen --config PlusDeviceSet.xml -o live.nrrd --serve-volume 18945
        """
    )

    @Option(help: "Server address.") var host = "127.0.0.1"
    @Option(help: "Server port.") var port = 18944
    @Option(name: .shortAndLong, help: "PLUS device-set configuration (calibration + <VolumeReconstruction>).") var config: String?
    @Option(name: .shortAndLong, help: "Final volume (.nrrd, .mha, .mhd); snapshots go beside it as <name>-snapshot-NNN.") var output = "live-volume.nrrd"
    @Option(help: "Voxel size in mm (one value, or three: x y z).") var spacing: [Double] = []
    @Option(parsing: .unconditional, help: "Grid origin in mm, 'x,y,z' (with --extent).") var origin: String?
    @Option(parsing: .unconditional, help: "Grid extent in voxels, 'x0,x1,y0,y1,z0,z1' (inclusive, as PLUS's OutputExtent).") var extent: String?
    @Option(help: "Use the grid an offline reconstruction of this recording computes (to compare with `freehand reconstruct`).") var gridFrom: String?
    @Option(help: "Automatic grid: frames used to compute it.") var autoGridFrames = 30
    @Option(help: "Automatic grid: margin added on every side (mm).") var gridMargin = 10.0
    @Option(help: "Write a snapshot every N seconds.") var snapshotEvery: Double?
    @Option(help: "Serve the growing volume as a 3-D IMAGE 'LiveVolume' on 127.0.0.1:PORT (e.g. for 3D Slicer).") var serveVolume: Int?
    @Option(help: "Seconds between volumes sent to --serve-volume clients.") var serveInterval = 2.0
    @Option(help: "Stop after this many seconds.") var duration: Double?
    @Option(help: "Stop after this many images.") var frames: Int?
    @Option(help: "Pose source: auto, matrix (IMAGE matrix is ImageToReference) or tracker.") var pose: PoseChoice = .auto
    @Option(help: "Largest tracker sample interval interpolated over (ms).") var maxGap = 200.0
    @Option(help: "Longest an image waits for the next tracker sample (ms).") var maxWait = 250.0
    @Option(help: "Worker threads for pasting (default: one per core).") var threads: Int?
    @Option(help: "IMAGE device to compound (default: the first named Image or Image_*; others are ignored).") var imageDevice: String?
    @Option(help: "Frames waiting for compounding at most; beyond, the oldest are dropped and counted.") var frameQueue = 4
    @Flag(help: "Never drop frames: compound every one however late (the sender is held back).") var lossless = false
    @Option(help: "Report the stream as stalled after this many seconds without a complete message.") var stallTime = 2.0
    @Flag(inversion: .prefixedNo, help: "Apply the configured hole filling to the final volume.") var fillHoles = true
    @Flag(help: "Print a report line every 10 s (rate, drops, latency, memory) and a final report.") var report = false
    @Flag(help: "Stop when the server disconnects instead of reconnecting.") var noReconnect = false
    @Flag(name: .shortAndLong, help: "No status line.") var quiet = false

    func validate() throws {
        guard frameQueue >= 1 else { throw ValidationError("--frame-queue must be at least 1") }
        guard stallTime.isFinite, stallTime > 0 else { throw ValidationError("--stall-time must be a positive number of seconds") }
    }

    func run() async throws {
        var calibration = TransformRepository()
        var settings: ReconstructionSettings?
        if let config { (calibration, settings) = try LiveSetup.load(config) }
        if settings == nil {
            guard let s = spacing.first else {
                throw ValidationError("pass --spacing, or --config with a <VolumeReconstruction> element")
            }
            settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: s))
        }
        var rules = settings!
        try rules.applySpacingOption(spacing)

        var grid = LiveGrid.automatic(frames: autoGridFrames, margin: gridMargin)
        if extent != nil || origin != nil {
            func numbers(_ text: String?) -> [Double] {
                (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Double($0) }
            }
            let e = numbers(extent), o = numbers(origin)
            guard e.count == 6, o.count == 3, e.allSatisfy({ $0 == $0.rounded() }) else {
                throw ValidationError("--extent takes 6 integers 'x0,x1,y0,y1,z0,z1' and --origin 3 numbers 'x,y,z'")
            }
            rules.outputExtent = e.map { Int($0) }
            rules.outputOrigin = SIMD3(o[0], o[1], o[2])
        }
        if let gridFrom {
            grid = .fixed(try LiveGrid.offlineGrid(of: gridFrom, settings: rules, calibration: calibration))
        } else {
            grid = try LiveGrid.from(settings: rules, fallback: grid)
        }

        let terminal = LiveTerminalBox()
        var options = LiveReceiver.Options(settings: rules, grid: grid)
        options.host = host
        options.port = port
        options.pairing = LiveSetup.pairing(calibration: calibration, settings: rules)
        options.pairing.poseSource = pose.value
        options.pairing.maxGap = maxGap / 1000
        options.pairing.maxWait = maxWait / 1000
        options.threads = threads
        options.imageDevice = imageDevice
        options.frameQueueCapacity = frameQueue
        options.lossless = lossless
        options.stallTime = stallTime
        options.output = output
        options.fillHoles = fillHoles
        options.snapshotInterval = snapshotEvery
        options.serveVolumePort = serveVolume
        options.serveInterval = serveInterval
        options.duration = duration
        options.maxFrames = frames
        options.reconnect = !noReconnect
        options.notice = { terminal.print("freehand: " + $0) }
        let receiver = LiveReceiver(options: options)
        let ui = LiveTerminal(onStop: { receiver.stop() }, onSnapshot: { receiver.requestSnapshot() })
        terminal.set(ui)
        if !quiet { ui.showStatus { receiver.status.line } }
        let reporter = report ? Task {
            var next = 10.0
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                if Task.isCancelled { break }
                let s = receiver.status
                if s.elapsed >= next {
                    ui.clearStatus()
                    print("report " + Self.reportLine(s))
                    fflush(nil)
                    next += 10
                }
            }
        } : nil

        let summary = try await receiver.run()
        reporter?.cancel()
        ui.finish()
        let s = summary.status
        if report { print("final " + Self.reportLine(s)) }
        var line = "freehand: " + s.countsLine
        if let g = s.geometry {
            line += "; \(g.dimensions.x)x\(g.dimensions.y)x\(g.dimensions.z) voxels at \(formatSpacing(g.spacing)) mm, origin \(formatPoint(g.origin))"
        }
        line += String(format: ", coverage %.1f%%", s.coverage * 100)
        if let p = summary.outputPath { line += " -> \(p)" } else { line += "; no volume (no frame with a valid pose)" }
        if let why = s.lastRejection, s.framesRejected > 0 { line += "\nfreehand: last rejection: \(why)" }
        print(line)
    }

    static func reportLine(_ s: LiveStatus) -> String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 1000) } ?? "-" }
        let mem = ProcessMemory.residentBytes()
        let rss = mem.map { String(format: "rss_mb=%.1f peak_rss_mb=%.1f", Double($0.current) / 1_048_576, Double($0.peak) / 1_048_576) } ?? "rss_mb=-"
        return String(format: "t=%.1fs images=%d compounded=%d rejected=%d dropped=%d missing=%d fps=%.1f coverage=%.1f%% ",
                      s.elapsed, s.imagesReceived, s.framesCompounded, s.framesRejected, s.framesDropped, s.framesMissing,
                      s.frameRate, s.coverage * 100)
            + "latency_p50_ms=\(ms(s.latencyP50)) latency_p99_ms=\(ms(s.latencyP99)) latency_max_ms=\(ms(s.latencyMax)) " + rss
    }
}

/// `--pose` values.
enum PoseChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, matrix, tracker
    var value: FramePairer.PoseSource {
        switch self {
        case .auto: return .auto
        case .matrix: return .matrix
        case .tracker: return .tracker
        }
    }
}

/// Lets notices reach the terminal set up after the options (printing plainly before).
final class LiveTerminalBox: Sendable {
    private let terminal = Mutex<LiveTerminal?>(nil)
    func set(_ t: LiveTerminal) { terminal.withLock { $0 = t } }
    func print(_ text: String) {
        if let t = terminal.withLock({ $0 }) { t.printLine(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }
}
