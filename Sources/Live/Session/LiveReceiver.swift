import Foundation
import Geometry
import IGTLink
import Imaging
import Reconstruction
import Recordings
import Synchronization

/// `freehand listen` as a library: connects to an OpenIGTLink server (PlusServer or any other),
/// pairs images with tracker poses, compounds them live into a volume, writes snapshots on
/// request and the final volume at the end, and optionally serves the growing volume to
/// viewers (3D Slicer) as a 3-D IMAGE.
///
/// The network side only queues messages; one processing loop feeds them to a `LiveSession`
/// (which pairs them, picks the image stream and drops the oldest frames beyond a small queue
/// when compounding falls behind) and performs what it asks, pasting frames as a batch. `status` is updated about every 50 ms; `requestSnapshot()` and `stop()` may be
/// called from any thread (signal handlers, stdin readers).
public final class LiveReceiver: Sendable {
    /// What to do.
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 18944
        public var pairing = FramePairer.Configuration()
        public var settings: ReconstructionSettings
        public var grid: LiveGrid
        /// Worker threads for pasting (nil: settings, then one per core).
        public var threads: Int?
        public var memoryBudget = MemoryBudget.default
        /// Pixel weights for IMPORTANCE_MASK compounding.
        public var importanceMask: Image?
        /// Final volume path (.nrrd, .mha, .mhd); nil writes nothing.
        public var output: String?
        /// Apply the configured hole filling to the final volume (not to snapshots).
        public var fillHoles = true
        /// Write the volume even when no voxel was hit (`--allow-empty`), instead of failing.
        public var allowEmpty = false
        /// Write a snapshot this often (s).
        public var snapshotInterval: Double?
        /// Serve the volume on 127.0.0.1:port as IMAGE `LiveVolume` every `serveInterval` s.
        public var serveVolumePort: Int?
        public var serveInterval = 2.0
        /// How Plus Remote commands on the `serveVolumePort` server are answered (files, device ids).
        public var plusRemote = PlusRemoteOptions()
        /// Stop after this many seconds, or after this many images.
        public var duration: Double?
        public var maxFrames: Int?
        /// Messages queued between the network and the session before wake-ups are dropped.
        public var queueCapacity = 512
        /// The IMAGE device to compound (nil: the first `Image` or `Image_*` device).
        public var imageDevice: String?
        /// Paired frames waiting for compounding at most; beyond, the oldest are dropped (counted).
        public var frameQueueCapacity = 2
        /// Never drop frames: compound every one, and stop reading the socket while 64 messages
        /// wait, so TCP holds the sender back.
        public var lossless = false
        /// Seconds without a complete message before the stream is reported stalled.
        public var stallTime = 2.0
        /// Reconnect when the server goes away (off: stop at the first disconnect).
        public var reconnect = true
        /// Dead-peer timeout of the client (PlusServer sends keep-alives; nil: never).
        public var idleTimeout: Duration? = .seconds(5)
        /// Called with short human-readable notices (snapshot written, connection lost, ...).
        public var notice: (@Sendable (String) -> Void)?

        public init(settings: ReconstructionSettings, grid: LiveGrid) {
            self.settings = settings
            self.grid = grid
        }
    }

    /// What a finished session produced.
    public struct Summary: Sendable {
        public var status: LiveStatus
        /// The final volume (hole-filled when configured), nil when no frame was compounded.
        public var volume: AnyVolume?
        /// Where it was written.
        public var outputPath: String?
    }

    public let options: Options
    private let control = Mutex(Control())
    private let published = Mutex(LiveStatus())
    private let servedPort = Mutex<Int?>(nil)

    private struct Control {
        var stop = false
        var snapshots = 0
    }

    public init(options: Options) {
        self.options = options
    }

    /// The latest status.
    public var status: LiveStatus { published.withLock { $0 } }

    /// The port `--serve-volume` listens on, once it does (useful with port 0).
    public var volumePort: Int? { servedPort.withLock { $0 } }

    /// Asks for a snapshot of the volume to be written (next loop iteration).
    public func requestSnapshot() { control.withLock { $0.snapshots += 1 } }

    /// Asks the session to finish: the final volume is written and `run` returns.
    public func stop() { control.withLock { $0.stop = true } }

    /// The session rules these options give.
    var sessionConfiguration: LiveSession.Configuration {
        var c = LiveSession.Configuration()
        c.pairing = options.pairing
        c.imageDevice = options.imageDevice
        c.frameQueueCapacity = options.lossless ? nil : max(1, options.frameQueueCapacity)
        c.stallTime = options.stallTime
        c.reconnect = options.reconnect
        c.duration = options.duration
        c.maxFrames = options.maxFrames
        return c
    }

    /// Runs until `stop()`, `duration`, `maxFrames`, (without reconnect) the server closing, or
    /// the calling task's cancellation (noticed within 50 ms); the final volume is written in every case.
    public func run() async throws -> Summary {
        let start = MonotonicClock.nanoseconds
        let connection = LiveConnection(host: options.host, port: options.port, reconnect: options.reconnect,
                                        idleTimeout: options.idleTimeout,
                                        queueCapacity: options.lossless ? 64 : options.queueCapacity, lossless: options.lossless)
        var server: IGTLServer?
        if let port = options.serveVolumePort {
            server = try await IGTLServer.start(configuration: .init(host: "127.0.0.1", port: port))
            servedPort.withLock { $0 = server!.port }
            options.notice?("serving the volume as IMAGE LiveVolume on 127.0.0.1:\(server!.port)")
        }
        let remote = try server.map {
            try PlusRemoteService(server: $0, options: options.plusRemote, output: options.output,
                                  reconstruction: .init(settings: options.settings, grid: options.grid, calibration: options.pairing.calibration,
                                                        threads: options.threads,
                                                        memoryBudget: options.memoryBudget, importanceMask: options.importanceMask),
                                  notice: options.notice)
        }
        let writer = SnapshotWriter()
        var session = LiveSession(configuration: sessionConfiguration)
        var compounding = try LiveCompounding(compounder: LiveCompounder(settings: options.settings, grid: options.grid,
                                                                          threads: options.threads, memoryBudget: options.memoryBudget,
                                                                          importanceMask: options.importanceMask))
        var lastPublish: UInt64 = 0, lastServe = start, lastSnapshot = start
        var snapshotsDone = 0, snapshotNumber = 0, volumesServed = 0

        func publish(_ now: UInt64) {
            var status = compounding.status(session: session, elapsed: Double(now &- start) / 1e9, now: now)
            status.snapshotsWritten = snapshotNumber
            status.volumesServed = volumesServed
            status.messagesLost = connection.client.messagesDropped
            published.withLock { $0 = status }
        }
        /// Performs the session's actions; true once it is over.
        func perform(_ actions: [LiveSession.Action]) throws -> Bool {
            var over = false
            // A tick's deliveries come before its remote commands: the remote side sees them first.
            for case .deliver(let frames) in actions { remote?.observe(frames) }
            for action in actions {
                switch action {
                case .remote(let request): remote?.handle(request)
                case .notice(let text): options.notice?(text)
                case .deliver(let frames):
                    try compounding.add(frames)
                    for text in compounding.compounder.takeNotices() { options.notice?(text) }
                case .finish: over = true
                }
            }
            return over
        }
        func snapshot() {
            guard let volume = compounding.compounder.snapshot() else {
                options.notice?("no volume yet: nothing to snapshot")
                return
            }
            if let why = compounding.compounder.emptyCause {
                options.notice?("snapshot skipped, the volume is empty: \(why)")
                return
            }
            snapshotNumber += 1
            let path = Self.snapshotPath(options.output ?? "live-volume.nrrd", number: snapshotNumber)
            let notice = options.notice
            writer.enqueue {
                do {
                    try VolumeFile.write(volume, to: path)
                    notice?("snapshot \(path)")
                } catch {
                    notice?("snapshot \(path) failed: \(error)")
                }
            }
        }

        var over = false
        while !over, let batch = await connection.next() {
            for input in batch { if let event = input.event { session.ingest(event) } }
            for request in remote?.takeRequests() ?? [] { session.ingest(.remote(request)) }
            let (stopRequested, requested) = control.withLock { ($0.stop, $0.snapshots) }
            if stopRequested || Task.isCancelled { session.ingest(.stop) }
            over = try perform(session.tick(now: MonotonicClock.nanoseconds))
            let now = MonotonicClock.nanoseconds
            while snapshotsDone < requested { snapshot(); snapshotsDone += 1 }
            if let every = options.snapshotInterval, Double(now &- lastSnapshot) / 1e9 >= every {
                snapshot()
                lastSnapshot = now
            }
            if let server, Double(now &- lastServe) / 1e9 >= options.serveInterval {
                lastServe = now
                if !server.clients.isEmpty, let image = compounding.compounder.snapshot()?.igtlImage() {
                    server.broadcast(IGTLMessage(deviceName: "LiveVolume", body: .image(image)))
                    volumesServed += 1
                }
            }
            if Double(now &- lastPublish) / 1e9 >= 0.25 || over {
                lastPublish = now
                publish(now)
            }
        }

        await connection.close()
        if !session.isFinished {
            session.ingest(.stop)
            _ = try perform(session.tick(now: MonotonicClock.nanoseconds))
        }
        try compounding.compounder.finishGrid()
        for text in compounding.compounder.takeNotices() { options.notice?(text) }
        await writer.finish()
        await remote?.finish()
        await server?.close()
        publish(MonotonicClock.nanoseconds)
        var final = published.withLock { $0 }
        final.connected = false
        final.stalled = false

        final.messagesLost = connection.client.messagesDropped
        let volume = try Self.writeFinal(compounding.compounder, options)
        return Summary(status: final, volume: volume, outputPath: volume == nil ? nil : options.output)
    }

    /// The final volume, written to `options.output` when set; an empty one is a failure with its
    /// cause there (not a file of zeros) unless `allowEmpty`. (Synchronous, outside `run`'s
    /// async frame.)
    private static func writeFinal(_ compounder: LiveCompounder, _ options: Options) throws -> AnyVolume? {
        // Checked first: an empty volume is neither hole-filled nor written.
        if options.output != nil, !options.allowEmpty, let why = compounder.emptyCause {
            throw ReconstructionError.emptyResult(why)
        }
        let volume = compounder.finalVolume(fillHoles: options.fillHoles && options.settings.fillHoles)
        if let volume, let path = options.output {
            try VolumeFile.write(volume, to: path)
        }
        return volume
    }

    /// `dir/volume.nrrd` -> `dir/volume-snapshot-003.nrrd`.
    public static func snapshotPath(_ output: String, number: Int) -> String {
        let url = URL(fileURLWithPath: output)
        var name = url.lastPathComponent
        var ext = ""
        for e in [".nrrd", ".mha", ".mhd"] where name.lowercased().hasSuffix(e) {
            ext = String(name.suffix(e.count))
            name.removeLast(e.count)
        }
        if ext.isEmpty { ext = ".nrrd" }
        let file = name + "-snapshot-" + String(format: "%03d", number) + ext
        return output.contains("/") ? url.deletingLastPathComponent().appendingPathComponent(file).path : file
    }
}

/// Writes snapshot files one after another off the processing loop.
final class SnapshotWriter: Sendable {
    private let queue = DispatchQueue(label: "freehand.live.snapshots")
    func enqueue(_ work: @escaping @Sendable () -> Void) { queue.async(execute: work) }
    func finish() async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in queue.async { c.resume() } }
    }
}

