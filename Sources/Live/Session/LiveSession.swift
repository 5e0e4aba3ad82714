import Geometry
import IGTLink
import Imaging

/// The logic of one live session as a value: what arrives goes in through `ingest(_:)`, what
/// to do comes out of `tick(now:)` as `Action`s. No sockets, threads or clocks inside, so
/// every rule (which IMAGE stream is used, how frames pair with poses, which frames are
/// dropped under overload, when the peer counts as stalled, when the session ends) is tested
/// by feeding events; `LiveReceiver` and `LiveRecorder` only move events in and perform the
/// actions.
///
/// Counting: every IMAGE of the selected stream is *received* and ends up exactly once as
/// delivered (handed to compounding or recording), *dropped* (overload: the oldest frames not
/// yet delivered when more than `frameQueueCapacity` are waiting), or *rejected* (no valid
/// pose, unreadable, non-finite matrix, or refused by the decoder). IMAGEs of other devices
/// are *ignored* and counted apart.
public struct LiveSession: Sendable {
    /// Session rules.
    public struct Configuration: Sendable {
        /// How images pair with tracker poses.
        public var pairing = FramePairer.Configuration()
        /// The IMAGE device to use; nil: the first device named `Image` or `Image_*` (PlusServer's
        /// convention). IMAGEs of every other device are ignored, with one notice per device.
        public var imageDevice: String?
        /// Paired frames waiting for delivery at most; when more wait, the oldest is dropped and
        /// counted. nil: never drop (lossless; the caller must then stop reading to push back).
        public var frameQueueCapacity: Int? = 2
        /// An open connection with no complete message for this many seconds is reported stalled.
        public var stallTime = 2.0
        /// Keep going when the server goes away (off: the first disconnect ends the session).
        public var reconnect = true
        /// End after this many seconds, or once this many images were received and paired.
        public var duration: Double?
        public var maxFrames: Int?

        public init() {}
    }

    /// Something that happened on the network side.
    public enum Event: Sendable {
        /// A decoded message and its monotonic (ns) and wall-clock (s) receive times.
        case message(IGTLMessage, receivedAt: UInt64, wall: Double)
        /// A message the decoder refused (e.g. a NaN matrix, bad CRC); the connection stays up.
        case refused(type: String, device: String, reason: String, receivedAt: UInt64)
        /// The connection went up or down, with a human-readable reason.
        case connection(up: Bool, String)
        /// A line to pass on to the user.
        case notice(String)
        /// The user asked to stop.
        case stop
        /// A Plus Remote command from a viewer; handed back by the next `tick`, after the frames
        /// that tick delivers (a frame still waiting for its tracker pose comes after it).
        case remote(PlusRemoteRequest)
    }

    /// What the caller should do.
    public enum Action: Sendable {
        /// Say this to the user (and log it).
        case notice(String)
        /// Compound or record these frames, in order (rejected frames included, with
        /// `imageToReference` nil, for recording as INVALID).
        case deliver([PairedFrame])
        /// The session is over: flush and finish.
        case finish(String)
        /// Carry out this Plus Remote command (after the frames delivered before it) and send its replies.
        case remote(PlusRemoteRequest)
    }

    /// The counts of a session.
    public struct Counts: Sendable, Equatable {
        /// IMAGEs of the selected stream.
        public var received = 0
        /// Frames handed out by `.deliver` with a valid pose.
        public var delivered = 0
        /// Frames dropped under overload (never delivered).
        public var dropped = 0
        /// Frames without a valid pose (see `lastRejection`).
        public var rejected = 0
        /// IMAGEs of other devices.
        public var ignored = 0
        /// Tracker poses received, and those with a NaN or infinite element.
        public var trackerSamples = 0
        public var nonFiniteTrackerSamples = 0
        /// Non-IMAGE messages the decoder refused.
        public var refusedMessages = 0
        /// Images received but not yet delivered, dropped or rejected (waiting for a tracker sample).
        public var pending = 0
    }

    public let configuration: Configuration
    public private(set) var counts = Counts()
    /// The IMAGE device in use, once chosen.
    public private(set) var imageDevice: String?
    /// Why the last rejected frame was rejected.
    public private(set) var lastRejection: PairingRejection?
    /// Whether the connection is up, and whether it is stalled.
    public private(set) var connected = false
    public private(set) var stalled = false
    /// Frames the sender's timestamps suggest were lost upstream.
    public private(set) var framesMissing = 0

    private var pairer: FramePairer
    private var queue: [PairedFrame] = []
    private var notices: [String] = []
    private var ignoredDevices: Set<String> = []
    private var lastMessageAt: UInt64?
    private var startedAt: UInt64?
    private var everConnected = false
    private var finishReason: String?
    private var gaps = TimestampGapCounter()
    private var remoteRequests: [PlusRemoteRequest] = []

    public init(configuration: Configuration) {
        self.configuration = configuration
        pairer = FramePairer(configuration: configuration.pairing)
    }

    /// Tracker histories by name (for callers that record tracker-only frames).
    public var trackers: [TransformName: TrackerHistory] { pairer.trackers }

    /// Takes one event.
    public mutating func ingest(_ event: Event) {
        switch event {
        case .message(let m, let at, let wall):
            startedAt = startedAt ?? at
            lastMessageAt = at
            if stalled {
                stalled = false
                notices.append("stream resumed")
            }
            if case .image = m.body {
                guard select(m.deviceName) else { return }
                counts.received += 1
                framesMissing += gaps.add(m.seconds(fallback: wall))
                take(pairer.receive(m, receivedAt: at, wallClock: wall))
            } else {
                pairer.receiveTrackers(m, time: m.seconds(fallback: wall))
                take(pairer.poll(now: at))
            }
        case .refused(let type, let device, let reason, let at):
            startedAt = startedAt ?? at
            lastMessageAt = at
            if type == "IMAGE" {
                guard select(device) else { return }
                counts.received += 1
                counts.rejected += 1
                lastRejection = .undecodableImage(device: device, reason: reason)
            } else {
                counts.refusedMessages += 1
            }
            notices.append("refused \(type) \(device): \(reason)")
        case .connection(let up, let text):
            notices.append(text)
            connected = up
            stalled = false
            if up { everConnected = true } else if !configuration.reconnect && everConnected { finish("server closed the connection") }
        case .notice(let text):
            notices.append(text)
        case .stop:
            finish("stopped")
        case .remote(let request):
            remoteRequests.append(request)
        }
    }

    /// What to do now: notices, frames whose wait is over (older ones dropped beyond the queue
    /// capacity), and `.finish` once the session is over (after which every frame was delivered).
    public mutating func tick(now: UInt64) -> [Action] {
        startedAt = startedAt ?? now
        take(pairer.poll(now: now))
        if connected, !stalled, let last = lastMessageAt ?? startedAt, Self.seconds(now, since: last) >= configuration.stallTime {
            stalled = true
            notices.append("stalled: no complete message for \(formatNumber(configuration.stallTime)) s")
        }
        if let d = configuration.duration, let s = startedAt, Self.seconds(now, since: s) >= d { finish("duration reached") }
        if let n = configuration.maxFrames, counts.received >= n, pairer.pendingCount == 0 { finish("\(n) frames received") }
        if finishReason != nil { take(pairer.flush()) }
        if let cap = configuration.frameQueueCapacity {
            var excess = queue.count(where: { $0.imageToReference != nil }) - max(1, cap)
            if excess > 0 {
                counts.dropped += excess
                queue.removeAll { f in
                    guard excess > 0, f.imageToReference != nil else { return false }
                    excess -= 1
                    return true
                }
            }
        }
        var actions = notices.map(Action.notice)
        notices.removeAll()
        if !queue.isEmpty {
            counts.delivered += queue.count(where: { $0.imageToReference != nil })
            actions.append(.deliver(queue))
            queue.removeAll()
        }
        actions += remoteRequests.map(Action.remote)
        remoteRequests.removeAll()
        counts.pending = pairer.pendingCount
        counts.trackerSamples = pairer.trackerSampleCount
        counts.nonFiniteTrackerSamples = pairer.nonFiniteTrackerSamples
        if let why = finishReason { actions.append(.finish(why)) }
        return actions
    }

    /// Whether the session is over (`tick` has returned or will return `.finish`).
    public var isFinished: Bool { finishReason != nil }

    private mutating func finish(_ why: String) {
        if finishReason == nil { finishReason = why }
    }

    /// Queues paired frames; rejected ones are counted here.
    private mutating func take(_ frames: [PairedFrame]) {
        for f in frames where f.imageToReference == nil && f.rejection != nil {
            counts.rejected += 1
            lastRejection = f.rejection
        }
        queue += frames
    }

    /// Whether IMAGEs of `device` are used, choosing the stream on the first suitable one.
    private mutating func select(_ device: String) -> Bool {
        if imageDevice == nil {
            let wanted = configuration.imageDevice.map { device == $0 } ?? (device == "Image" || device.hasPrefix("Image_"))
            if wanted {
                imageDevice = device
                notices.append("compounding IMAGE device \(device)")
            }
        }
        if device == imageDevice { return true }
        counts.ignored += 1
        if ignoredDevices.insert(device).inserted {
            let hint = configuration.imageDevice == nil ? " (choose one with --image-device)" : ""
            notices.append("ignoring IMAGE device \(device)\(hint)")
        }
        return false
    }

    static func seconds(_ now: UInt64, since then: UInt64) -> Double {
        now > then ? Double(now - then) / 1e9 : 0
    }
}
