import IGTLink
import Synchronization

/// The network side of a live session: an `IGTLClient` whose messages are stamped on arrival
/// and queued in a bounded `LiveInbox`, plus a 50 ms wake-up so the consumer can time out waits
/// and refresh its status even when nothing arrives.
final class LiveConnection: Sendable {
    enum Input: Sendable {
        case message(IGTLMessage, receivedAt: UInt64, wall: Double)
        case connection(up: Bool, String)
        case notice(String)
        case wake
    }

    /// What one batch of input amounted to.
    struct Feed {
        /// Frames the pairer released (in arrival order).
        var frames: [PairedFrame] = []
        /// The connection state after the batch, when it changed.
        var connected: Bool?
        /// The server went away and the client does not reconnect: the session is over.
        var ended = false
    }

    let client: IGTLClient
    let inbox: LiveInbox<Input>
    private let tasks: [Task<Void, Never>]
    private let reconnect: Bool
    private let notice: (@Sendable (String) -> Void)?
    private let everConnected = Mutex(false)

    /// Connects to `host:port` in the background.
    init(host: String, port: Int, reconnect: Bool, idleTimeout: Duration?, queueCapacity: Int,
         notice: (@Sendable (String) -> Void)?) {
        self.reconnect = reconnect
        self.notice = notice
        var config = IGTLClient.Configuration()
        config.reconnect = reconnect
        config.idleTimeout = idleTimeout
        config.bufferSize = 4096
        let client = IGTLClient(host: host, port: port, configuration: config)
        let inbox = LiveInbox<Input>(capacity: queueCapacity) { input in
            switch input {
            case .connection, .notice: return false
            default: return true
            }
        }
        self.client = client
        self.inbox = inbox
        client.start()
        let drain = Task {
            for await event in client.events {
                switch event {
                case .message(let m): inbox.push(.message(m, receivedAt: MonotonicClock.nanoseconds, wall: MonotonicClock.wallSeconds))
                case .connected: inbox.push(.connection(up: true, "connected to \(host):\(port)"))
                case .disconnected(let why): inbox.push(.connection(up: false, "disconnected: \(why)"))
                case .connectionFailed(let why): inbox.push(.connection(up: false, "cannot connect: \(why)"))
                case .skipped(_, let error): inbox.push(.notice("skipped a message: \(error)"))
                }
            }
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                inbox.push(.wake)
            }
        }
        tasks = [drain, ticker]
    }

    /// Everything queued (waits for something), nil after `close()` once drained.
    func next() async -> [Input]? { await inbox.next() }

    /// Feeds a batch to `pairer` (then polls it for images whose wait is over), passing notices
    /// on; `onImage` sees every IMAGE message with its receive wall-clock time.
    func feed(_ batch: [Input], to pairer: inout FramePairer, onImage: (IGTLMessage, Double) -> Void) -> Feed {
        var feed = Feed()
        for input in batch {
            switch input {
            case .message(let m, let at, let wall):
                if case .image = m.body { onImage(m, wall) }
                feed.frames += pairer.receive(m, receivedAt: at, wallClock: wall)
            case .connection(let up, let text):
                notice?(text)
                feed.connected = up
                let was = everConnected.withLock { e -> Bool in
                    defer { if up { e = true } }
                    return e
                }
                if !up && !reconnect && was { feed.ended = true }
            case .notice(let text):
                notice?(text)
            case .wake:
                break
            }
        }
        feed.frames += pairer.poll(now: MonotonicClock.nanoseconds)
        return feed
    }

    /// Messages dropped because the consumer fell behind.
    var droppedCount: Int { inbox.droppedCount }

    /// Disconnects and stops the wake-ups.
    func close() async {
        for t in tasks { t.cancel() }
        await client.close()
        inbox.close()
    }
}
