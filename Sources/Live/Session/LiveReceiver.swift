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
/// The network side only queues messages; one processing loop pairs and pastes, taking every
/// queued message at once when it falls behind (frames are pasted as a batch), so the queue
/// stays short. `status` is updated about every 50 ms; `requestSnapshot()` and `stop()` may be
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
        /// Write a snapshot this often (s).
        public var snapshotInterval: Double?
        /// Serve the volume on 127.0.0.1:port as IMAGE `LiveVolume` every `serveInterval` s.
        public var serveVolumePort: Int?
        public var serveInterval = 2.0
        /// Stop after this many seconds, or after this many images.
        public var duration: Double?
        public var maxFrames: Int?
        /// Messages queued at most before the oldest are dropped.
        public var queueCapacity = 512
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

    /// Runs until `stop()`, `duration`, `maxFrames`, or (without reconnect) the server closing.
    public func run() async throws -> Summary {
        let start = MonotonicClock.nanoseconds
        let connection = LiveConnection(host: options.host, port: options.port, reconnect: options.reconnect,
                                        idleTimeout: options.idleTimeout, queueCapacity: options.queueCapacity,
                                        notice: options.notice)
        var server: IGTLServer?
        if let port = options.serveVolumePort {
            server = try await IGTLServer.start(configuration: .init(host: "127.0.0.1", port: port))
            servedPort.withLock { $0 = server!.port }
            options.notice?("serving the volume as IMAGE LiveVolume on 127.0.0.1:\(server!.port)")
        }
        let writer = SnapshotWriter()

        var pairer = FramePairer(configuration: options.pairing)
        let compounder = try LiveCompounder(settings: options.settings, grid: options.grid, threads: options.threads,
                                            memoryBudget: options.memoryBudget, importanceMask: options.importanceMask)
        var status = LiveStatus()
        var latency = LatencyHistogram()
        var rateWindow: [(UInt64, Int)] = []
        var gaps = TimestampGapCounter()
        var lastPublish: UInt64 = 0, lastServe = start, lastSnapshot = start
        var snapshotsDone = 0, snapshotNumber = 0
        var rejectedByPairing = 0

        func elapsed(_ now: UInt64) -> Double { Double(now &- start) / 1e9 }
        func compound(_ frames: [PairedFrame]) throws {
            guard !frames.isEmpty else { return }
            for f in frames where f.imageToReference == nil {
                rejectedByPairing += 1
                status.framesRejected += 1
                status.lastRejection = f.rejection
            }
            let before = compounder.framesCompounded
            try compounder.add(frames)
            let done = MonotonicClock.nanoseconds
            if compounder.framesCompounded > before {
                for f in frames where f.imageToReference != nil { latency.record(Double(done &- f.receivedAt) / 1e9) }
            }
        }
        func publish(_ now: UInt64) {
            status.elapsed = elapsed(now)
            status.framesCompounded = compounder.framesCompounded
            status.messagesDropped = connection.droppedCount
            status.trackerSamples = pairer.trackerSampleCount
            status.coverage = compounder.coverage
            status.latencyP50 = latency.percentile(0.5)
            status.latencyP99 = latency.percentile(0.99)
            status.latencyMax = latency.maximum
            status.geometry = compounder.geometry
            if compounder.framesRefused > 0 {
                status.framesRejected = rejectedByPairing + compounder.framesRefused
                status.lastRejection = compounder.lastRefusal
            }
            let snapshot = status
            published.withLock { $0 = snapshot }
        }
        func snapshot() {
            guard let volume = compounder.snapshot() else {
                options.notice?("no volume yet: nothing to snapshot")
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
            status.snapshotsWritten = snapshotNumber
        }

        loop: while let batch = await connection.next() {
            let feed = connection.feed(batch, to: &pairer) { m, wall in
                status.imagesReceived += 1
                status.framesMissing += gaps.add(m.seconds(fallback: wall))
            }
            if let up = feed.connected { status.connected = up }
            if feed.ended { control.withLock { $0.stop = true } }
            let now = MonotonicClock.nanoseconds
            try compound(feed.frames)

            let (stopRequested, requested) = control.withLock { ($0.stop, $0.snapshots) }
            while snapshotsDone < requested { snapshot(); snapshotsDone += 1 }
            if let every = options.snapshotInterval, elapsed(now) - Double(lastSnapshot &- start) / 1e9 >= every {
                snapshot()
                lastSnapshot = now
            }
            if let server, Double(now &- lastServe) / 1e9 >= options.serveInterval {
                lastServe = now
                if !server.clients.isEmpty, let image = compounder.snapshot()?.igtlImage() {
                    server.broadcast(IGTLMessage(deviceName: "LiveVolume", body: .image(image)))
                    status.volumesServed += 1
                }
            }
            rateWindow.append((now, compounder.framesCompounded))
            while rateWindow.count > 2, Double(now &- rateWindow[0].0) / 1e9 > 1.0 { rateWindow.removeFirst() }
            if Double(now &- lastPublish) / 1e9 >= 0.25 || stopRequested {
                lastPublish = now
                if let first = rateWindow.first, now > first.0 {
                    status.frameRate = Double(compounder.framesCompounded - first.1) / (Double(now &- first.0) / 1e9)
                }
                publish(now)
            }
            if stopRequested { break loop }
            if let d = options.duration, elapsed(now) >= d { break loop }
            if let n = options.maxFrames, status.imagesReceived >= n, pairer.pendingCount == 0 { break loop }
        }

        await connection.close()
        try compound(pairer.flush())
        try compounder.finishGrid()
        await writer.finish()
        await server?.close()

        status.connected = false
        publish(MonotonicClock.nanoseconds)
        let final = status

        let volume = compounder.finalVolume(fillHoles: options.fillHoles && options.settings.fillHoles)
        if let volume, let path = options.output {
            try VolumeFile.write(volume, to: path)
        }
        return Summary(status: final, volume: volume, outputPath: volume == nil ? nil : options.output)
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

/// Estimates frames lost upstream from gaps in image timestamps: an interval longer than 1.8
/// times the typical one counts `round(interval / typical) - 1` missing frames.
struct TimestampGapCounter {
    private var last: Double?
    private var typical: Double?

    mutating func add(_ t: Double) -> Int {
        defer { last = t }
        guard let last, t > last else { return 0 }
        let dt = t - last
        guard let typ = typical else { typical = dt; return 0 }
        if dt > 1.8 * typ {
            return max(0, Int((dt / typ).rounded()) - 1)
        }
        typical = 0.9 * typ + 0.1 * dt
        return 0
    }
}
