import IGTLink
import Synchronization

/// The network side of a live session: an `IGTLClient` whose messages are stamped on arrival
/// and queued in a `LiveInbox`, plus a 50 ms wake-up so the consumer can time out waits and
/// refresh its status even when nothing arrives. Only wake-ups are ever dropped from the inbox
/// (messages are counted and, under overload, dropped as frames by `LiveSession`, which the
/// consumer feeds everything queued at once).
final class LiveConnection: Sendable {
    enum Input: Sendable {
        case message(IGTLMessage, receivedAt: UInt64, wall: Double)
        case refused(type: String, device: String, reason: String, receivedAt: UInt64)
        case connection(up: Bool, String)
        case notice(String)
        case wake

        /// The session event this input is (nil for a wake-up).
        var event: LiveSession.Event? {
            switch self {
            case let .message(m, at, wall): .message(m, receivedAt: at, wall: wall)
            case let .refused(type, device, reason, at): .refused(type: type, device: device, reason: reason, receivedAt: at)
            case let .connection(up, text): .connection(up: up, text)
            case let .notice(text): .notice(text)
            case .wake: nil
            }
        }
    }

    let client: IGTLClient
    let inbox: LiveInbox<Input>
    private let tasks: [Task<Void, Never>]

    /// Connects to `host:port` in the background.
    /// - Parameter lossless: stop reading the socket while `queueCapacity` messages wait for
    ///   the consumer, so TCP holds the sender back (nothing is dropped anywhere).
    init(host: String, port: Int, reconnect: Bool, idleTimeout: Duration?, queueCapacity: Int, lossless: Bool = false) {
        var config = IGTLClient.Configuration()
        if lossless { config.maxUnconsumedMessages = max(2, min(queueCapacity, 1024)) }
        config.reconnect = reconnect
        config.idleTimeout = idleTimeout
        config.bufferSize = 4096
        let client = IGTLClient(host: host, port: port, configuration: config)
        let inbox = LiveInbox<Input>(capacity: queueCapacity) { input in
            if case .wake = input { return true } else { return false }
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
                case .skipped(let frame, let error):
                    inbox.push(.refused(type: frame.header.typeName, device: frame.header.deviceName, reason: "\(error)",
                                        receivedAt: MonotonicClock.nanoseconds))
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
    func next() async -> [Input]? {
        guard let batch = await inbox.next() else { return nil }
        client.consumed(batch.count(where: { if case .message = $0 { true } else { false } }))
        return batch
    }

    /// Messages dropped because the consumer fell behind: from the inbox, and from the
    /// client's buffer when the drain into the inbox fell behind.
    var droppedCount: Int { inbox.droppedCount + client.messagesDropped }

    /// Disconnects and stops the wake-ups.
    func close() async {
        for t in tasks { t.cancel() }
        await client.close()
        inbox.close()
    }
}
