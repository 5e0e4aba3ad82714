import Calibration
import Dispatch
import Geometry
import IGTLink
import Imaging
import Recordings
import Synchronization

/// Why a live frame source could not deliver.
public enum LiveFrameSourceError: Error, Sendable, CustomStringConvertible {
    /// No connection could be made within the connect timeout.
    case cannotConnect(host: String, port: Int, seconds: Double, reason: String)

    public var description: String {
        switch self {
        case .cannotConnect(let host, let port, let seconds, let reason):
            return "cannot connect to \(host):\(port) within \(Int(seconds)) s (\(reason)): is PlusServer (or `freehand replay`) running there?"
        }
    }
}

/// Tracked frames for the calibration wizard straight from an OpenIGTLink server (PlusServer,
/// `freehand replay`), as a `TrackedFrameSource`.
///
/// The network side is the one `freehand listen` and `freehand record` use (`LiveConnection`:
/// bounded inbox, 50 ms wake-ups); images are paired with tracker poses by `FramePairer`. A
/// background task receives; `next()` blocks until a frame is ready, so the wizard's synchronous
/// step engine consumes live frames exactly as it consumes a recording (call it from a thread
/// outside Swift's cooperative pool, e.g. a command's main thread).
///
/// Collection ends at the first of: `maxFrames` frames, `duration` seconds after connecting,
/// `stop()`, or the server closing the connection; a consumer may also stop early (the wizard
/// stops when the step has collected enough).
public final class LiveFrameSource: TrackedFrameSource, Sendable {
    /// What frames are made of.
    public enum Content: Sendable, Equatable {
        /// One frame per tracker timestamp, holding the poses sent together (StylusToTracker,
        /// ReferenceToTracker, ...) and an empty image: pivot and landmark steps.
        case tracker
        /// One frame per IMAGE. With `poseFrame` (e.g. "Probe") the frame holds every tracker's pose
        /// interpolated at the image time, waiting for the samples that make `<poseFrame>To<Reference>`;
        /// the IMAGE matrix is ignored (it is what probe calibration measures). Without, images only.
        case images(poseFrame: String?)
    }

    /// Where and how long to collect.
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 18944
        public var content = Content.tracker
        /// Reference frame of the pose chain paired for `.images(poseFrame:)`.
        public var referenceFrame = "Reference"
        /// Stop after this many frames.
        public var maxFrames: Int?
        /// Stop this many seconds after connecting.
        public var duration: Double?
        /// Give up when no connection is made within this many seconds.
        public var connectTimeout = 10.0
        /// Dead-peer timeout (PlusServer sends keep-alives every second).
        public var idleTimeout: Duration? = .seconds(5)
        /// Messages queued at most on the network side before the oldest are dropped.
        public var queueCapacity = 512
        /// Frames held for a consumer that falls behind before the oldest are dropped.
        public var frameCapacity = 1024
        /// Short notices (connected, disconnected, skipped messages).
        public var notice: (@Sendable (String) -> Void)?

        public init(host: String = "127.0.0.1", port: Int = 18944, content: Content = .tracker) {
            self.host = host
            self.port = port
            self.content = content
        }
    }

    /// Why collection ended.
    public enum EndReason: Sendable, Equatable, CustomStringConvertible {
        case frameLimit(Int), duration(Double), stopped, serverClosed(String)
        public var description: String {
            switch self {
            case .frameLimit(let n): return "\(n) frames collected"
            case .duration(let s): return "\(s) s collected"
            case .stopped: return "stopped"
            case .serverClosed(let why): return "server closed the stream (\(why))"
            }
        }
    }

    /// Counts for the end-of-collection report.
    public struct Statistics: Sendable {
        /// Frames made and frames handed out.
        public var framesReceived = 0, framesDelivered = 0
        /// Frames dropped because the consumer fell behind by `frameCapacity` frames.
        public var framesDropped = 0
        /// Messages dropped on the network side.
        public var messagesDropped = 0
        /// Tracker poses received.
        public var trackerSamples = 0
        public var endReason: EndReason?
        /// Messages received per type and device name (`IMAGE Image_Image`, `TRANSFORM ProbeToTracker`).
        public var devices: [String: DeviceCount] = [:]
        /// Whether a connection is up.
        public var connected = false
    }

    /// Messages of one device: how many, first and last arrival (monotonic ns), for rates.
    public struct DeviceCount: Sendable {
        public var count = 0
        public var first: UInt64 = 0, last: UInt64 = 0
        /// Messages per second over the arrivals so far.
        public var rate: Double { count > 1 && last > first ? Double(count - 1) / (Double(last - first) / 1e9) : 0 }
    }

    private struct State {
        var frames: [TrackedFrame] = []
        var head = 0
        var statistics = Statistics()
        var error: LiveFrameSourceError?
        var finished = false
        var stopRequested = false
    }

    public let options: Options
    public var name: String { "\(options.host):\(options.port)" }
    public var expectedCount: Int? { options.maxFrames }
    private let state = Mutex(State())
    private let ready = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Connects in the background at once.
    public init(options: Options) {
        self.options = options
        Task.detached { [self] in await self.receive() }
    }

    /// Counts so far.
    public var statistics: Statistics { state.withLock { $0.statistics } }

    /// Asks collection to end: `next()` returns nil from now on.
    public func stop() {
        state.withLock { $0.stopRequested = true }
        ready.signal()
    }

    /// Stops and waits until the connection is closed.
    public func close() {
        stop()
        done.wait()
        done.signal()
    }

    /// The next frame (blocking until one arrives), nil when collection is over.
    /// - Throws: `LiveFrameSourceError.cannotConnect`.
    public func next() throws -> TrackedFrame? {
        try next(statusEvery: .infinity) { _ in }
    }

    /// The next frame; while none is ready, `status` gets a line on what is received every
    /// `statusEvery` seconds (on the calling thread).
    public func next(statusEvery: Double, _ status: (String) -> Void) throws -> TrackedFrame? {
        var waited = 0.0
        while true {
            let taken = state.withLock { s -> Result<TrackedFrame?, LiveFrameSourceError>? in
                if s.stopRequested { return .success(nil) }
                if s.head < s.frames.count {
                    let frame = s.frames[s.head]
                    s.head += 1
                    s.statistics.framesDelivered += 1
                    if s.head > 64 && s.head * 2 > s.frames.count {
                        s.frames.removeFirst(s.head)
                        s.head = 0
                    }
                    return .success(frame)
                }
                if let e = s.error { return .failure(e) }
                return s.finished ? .success(nil) : nil
            }
            if let taken { return try taken.get() }
            if statusEvery.isFinite, statusEvery > 0 {
                if ready.wait(timeout: .now() + statusEvery) == .timedOut {
                    waited += statusEvery
                    status("after \(Int(waited)) s: " + reception)
                }
            } else {
                ready.wait()
            }
        }
    }

    // MARK: - Receiving

    /// Queues frames for `next()`; false once the frame limit is reached.
    private func deliver(_ frames: [TrackedFrame]) -> Bool {
        guard !frames.isEmpty else { return true }
        let more = state.withLock { s -> Bool in
            for f in frames {
                if let n = options.maxFrames, s.statistics.framesReceived >= n { return false }
                s.frames.append(f)
                s.statistics.framesReceived += 1
                if s.frames.count - s.head > options.frameCapacity {
                    s.head += 1
                    s.statistics.framesDropped += 1
                }
            }
            if let n = options.maxFrames, s.statistics.framesReceived >= n { return false }
            return true
        }
        ready.signal()
        return more
    }

    private func receive() async {
        let connection = LiveConnection(host: options.host, port: options.port, reconnect: true,
                                        idleTimeout: options.idleTimeout, queueCapacity: options.queueCapacity)
        var pairing = FramePairer.Configuration()
        pairing.referenceFrame = options.referenceFrame
        if case .images(let p) = options.content {
            if let p { pairing.poseFrame = p; pairing.poseSource = .tracker } else { pairing.poseSource = .matrix }
        }
        var pairer = FramePairer(configuration: pairing)
        var grouper = TrackerFrameGrouper()
        let start = MonotonicClock.nanoseconds
        var connectedAt: UInt64?
        var lastFailure = "no answer"
        var end: EndReason?
        var failure: LiveFrameSourceError?

        /// Tracker transforms only: frames hold what PLUS records for calibration.
        func frames(_ paired: [PairedFrame]) -> [TrackedFrame] {
            paired.map { p in
                var f = p.trackedFrame
                f.transforms = f.transforms.filter { pairer.trackers[$0.key] != nil }
                return f
            }
        }
        func take(_ message: IGTLMessage, _ at: UInt64, _ wall: Double) -> [TrackedFrame] {
            options.content == .tracker ? grouper.receive(message, receivedAt: at, wallClock: wall)
                : frames(pairer.receive(message, receivedAt: at, wallClock: wall))
        }

        loop: while let batch = await connection.next() {
            var out: [TrackedFrame] = []
            var closed: String?
            for input in batch {
                switch input {
                case .message(let m, let at, let wall):
                    state.withLock { s in
                        let key = "\(m.typeName) \(m.fullDeviceName)"
                        var d = s.statistics.devices[key] ?? DeviceCount(first: at)
                        d.count += 1
                        d.last = at
                        s.statistics.devices[key] = d
                    }
                    out += take(m, at, wall)
                case .connection(let up, let text):
                    options.notice?(text)
                    state.withLock { $0.statistics.connected = up }
                    if up { connectedAt = connectedAt ?? MonotonicClock.nanoseconds }
                    else if connectedAt != nil { closed = closed ?? text }
                    else { lastFailure = text }
                case .notice(let text):
                    options.notice?(text)
                case .refused(let type, let device, let reason, _):
                    options.notice?("refused \(type) \(device): \(reason)")
                case .wake:
                    break
                }
            }
            let now = MonotonicClock.nanoseconds
            out += options.content == .tracker ? grouper.poll(now: now) : frames(pairer.poll(now: now))
            if let closed {
                out += options.content == .tracker ? grouper.flush() : frames(pairer.flush())
                end = .serverClosed(closed)
            }
            if !deliver(out) { end = .frameLimit(options.maxFrames ?? 0) }
            if end != nil { break loop }
            if state.withLock({ $0.stopRequested }) { end = .stopped; break loop }
            if let d = options.duration, let c = connectedAt, Double(now &- c) / 1e9 >= d { end = .duration(d); break loop }
            if connectedAt == nil, Double(now &- start) / 1e9 >= options.connectTimeout {
                // NIO's connection errors are long; "refused" is the usual one and says it all.
                let reason = lastFailure.contains("Connection refused") ? "connection refused" : lastFailure
                failure = .cannotConnect(host: options.host, port: options.port, seconds: options.connectTimeout, reason: reason)
                break loop
            }
        }
        await connection.close()
        let dropped = connection.droppedCount
        let samples = options.content == .tracker ? grouper.sampleCount : pairer.trackerSampleCount
        state.withLock { s in
            s.finished = true
            s.error = failure
            s.statistics.endReason = end
            s.statistics.messagesDropped = dropped
            s.statistics.trackerSamples = samples
        }
        ready.signal()
        done.signal()
    }
}
