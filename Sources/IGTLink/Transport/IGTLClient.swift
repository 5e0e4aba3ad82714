import Logging
import NIOCore
import NIOPosix
import Synchronization

/// An OpenIGTLink client on SwiftNIO: connects to a server (e.g. PlusServer on port 18944),
/// reconnects with exponential backoff, detects dead peers, and delivers what it receives as
/// an `AsyncStream`.
///
/// ```swift
/// let client = IGTLClient(host: "127.0.0.1", port: 18944)
/// client.start()
/// for await event in client.events {
///     if case .message(let m) = event, case .image(let image) = m.body { ... }
/// }
/// ```
///
/// Dead-peer detection: PlusServer sends a STATUS keep-alive regularly, so a connection on
/// which nothing arrives for `idleTimeout` is closed and re-established.
/// `events` buffers at most `bufferSize` events and then drops the OLDEST: a slow consumer
/// sees gaps instead of ever-growing lag.
public final class IGTLClient: Sendable {
    /// Connection behaviour.
    public struct Configuration: Sendable {
        /// Limits and checks for incoming messages.
        public var decoding = IGTLDecodingOptions()
        /// Reconnect after a failed connect or a lost connection.
        public var reconnect = true
        /// First reconnect delay; doubled after each failure up to `maximumBackoff`.
        public var initialBackoff: Duration = .milliseconds(100)
        public var maximumBackoff: Duration = .seconds(5)
        /// Close the connection when nothing arrives for this long (nil: never).
        public var idleTimeout: Duration? = .seconds(5)
        /// TCP connect timeout.
        public var connectTimeout: Duration = .seconds(3)
        /// Put a CRC into outgoing messages (PLUS does not; everyone accepts one).
        public var computeCRC = true
        /// Events kept for a slow consumer before the oldest are dropped (and counted in
        /// `messagesDropped`).
        public var bufferSize = 1024
        /// Flow control: when set, the client stops reading the socket while this many messages
        /// were delivered but not yet acknowledged with `consumed(_:)`, so TCP holds the sender
        /// back instead of anything being dropped (keep it well below `bufferSize`: what one
        /// socket read holds is delivered even past the limit).
        public var maxUnconsumedMessages: Int?
        /// Network log lines (connect, disconnect, backoff, skipped messages), all at debug
        /// level so nothing reaches stdout unless the host raises the level.
        public var logger = Logger(label: "freehand.igtl")

        public init() {}
    }

    /// What the client reports.
    public enum Event: Sendable {
        /// A connection is up (first or after reconnecting).
        case connected
        /// A message arrived.
        case message(IGTLMessage)
        /// A message arrived but could not be decoded; it was dropped, the connection stays up.
        case skipped(IGTLFrame, IGTLError)
        /// The connection went down (peer closed, dead peer, fatal protocol error).
        case disconnected(reason: String)
        /// A connection attempt failed; another follows after the backoff if `reconnect`.
        case connectionFailed(reason: String)
    }

    public let host: String
    public let port: Int
    public let configuration: Configuration
    /// Everything the client reports; finishes after `close()` (or the first disconnect
    /// when `reconnect` is off). Single consumer.
    public let events: AsyncStream<Event>

    private let continuation: AsyncStream<Event>.Continuation
    private let group: any EventLoopGroup
    private let state = Mutex(State())
    private let flow = Mutex(Flow())
    private let dropped = Atomic<Int>(0)

    /// Messages pushed out of the full `events` buffer before anyone took them (the consumer
    /// fell `bufferSize` events behind).
    public var messagesDropped: Int { dropped.load(ordering: .relaxed) }

    /// Flow control (`maxUnconsumedMessages`), decided under the lock. A connection counts each
    /// message before yielding it (so its acknowledgement never comes first) and pauses itself at
    /// the limit; `consumed` resumes whatever is paused. Nothing depends on when `run()` learns
    /// of a connection: a busy task pool can resume it after the connection has already paused.
    private struct Flow {
        var unconsumed = 0
        /// Connections whose reading is paused at the limit (at most one, normally).
        var paused: [any Channel] = []

        func isPaused(_ channel: any Channel) -> Bool { paused.contains { $0 === channel } }
    }

    private struct State {
        var channel: (any Channel)?
        var task: Task<Void, Never>?
        var stopped = false
    }

    /// Creates a client; nothing happens until `start()`.
    public init(host: String = "127.0.0.1", port: Int = OpenIGTLink.defaultPort, configuration: Configuration = .init(),
                group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.configuration = configuration
        self.group = group
        (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(max(1, configuration.bufferSize)))
    }

    /// Only the messages of `events` (consume either this or `events`, not both).
    public var messages: AsyncCompactMapSequence<AsyncStream<Event>, IGTLMessage> {
        events.compactMap { if case .message(let m) = $0 { return m } else { return nil } }
    }

    /// Whether a connection is currently up.
    public var isConnected: Bool { state.withLock { $0.channel?.isActive ?? false } }

    /// Starts connecting in the background (idempotent).
    public func start() {
        state.withLock { s in
            guard s.task == nil, !s.stopped else { return }
            s.task = Task { [self] in await run() }
        }
    }

    /// Sends a message with its own `headerVersion` (COMMAND types always with version 2).
    /// - Throws: `IGTLTransportError.notConnected`, an `IGTLError` when the message cannot be
    ///   encoded, or the channel's write error.
    public func send(_ message: IGTLMessage) async throws {
        guard let channel = state.withLock({ $0.channel }) else { throw IGTLTransportError.notConnected(host: host, port: port) }
        try await channel.writeAndFlush(message)
    }

    /// Acknowledges `count` messages taken from `events` (only with `maxUnconsumedMessages`):
    /// reading resumes once fewer than half the limit are outstanding.
    public func consumed(_ count: Int) {
        guard let limit = configuration.maxUnconsumedMessages, count > 0 else { return }
        let resumed = flow.withLock { f -> [any Channel] in
            f.unconsumed = max(0, f.unconsumed - count)
            guard f.unconsumed < max(1, limit / 2) else { return [] }
            defer { f.paused.removeAll() }
            return f.paused
        }
        for channel in resumed { applyFlow(to: channel) }
    }

    /// Counts a message delivered by `channel` (on its event loop) and pauses its reading at
    /// the limit.
    private func deliveredOne(on channel: any Channel) {
        guard let limit = configuration.maxUnconsumedMessages else { return }
        let pause = flow.withLock { f -> Bool in
            f.unconsumed += 1
            guard f.unconsumed >= max(1, limit), !f.isPaused(channel) else { return false }
            f.paused.append(channel)
            return true
        }
        if pause { applyFlow(to: channel) }
    }

    /// Sets `channel`'s `autoRead` to the flow state current when this runs on its event loop
    /// (at once when called there, so nothing more is read after a pause). A pause and a resume
    /// decided on different threads may be applied in either order: each applies the newest.
    private func applyFlow(to channel: any Channel) {
        let apply: @Sendable () -> Void = { [self] in
            let read = !flow.withLock { $0.isPaused(channel) }
            channel.setOption(ChannelOptions.autoRead, value: read).whenComplete { _ in }
        }
        if channel.eventLoop.inEventLoop { apply() } else { channel.eventLoop.execute(apply) }
    }

    /// Yields `event`. A message pushed out of the full buffer will never be taken, so never
    /// acknowledged: it stops counting as unconsumed (otherwise reading could stay paused).
    private func emit(_ event: Event) {
        if case .dropped(.message) = continuation.yield(event) {
            dropped.add(1, ordering: .relaxed)
            consumed(1)
        }
    }

    /// Closes the connection, stops reconnecting and finishes `events`.
    public func close() async {
        let (channel, task) = state.withLock { s in
            s.stopped = true
            return (s.channel, s.task)
        }
        task?.cancel()
        try? await channel?.close()
        _ = await task?.result
        continuation.finish()
    }

    private var stopped: Bool { state.withLock { $0.stopped } }

    private func run() async {
        var backoff = configuration.initialBackoff
        while !stopped && !Task.isCancelled {
            do {
                let channel = try await connect()
                let keep = state.withLock { s -> Bool in
                    if s.stopped { return false }
                    s.channel = channel
                    return true
                }
                if !keep { try? await channel.close(); break }
                configuration.logger.debug("connected to OpenIGTLink server", metadata: ["server": "\(host):\(port)"])
                emit(.connected)
                backoff = configuration.initialBackoff
                try? await channel.closeFuture.get()
                state.withLock { $0.channel = nil }
            } catch {
                configuration.logger.debug("cannot connect to OpenIGTLink server", metadata: ["server": "\(host):\(port)", "error": "\(error)"])
                emit(.connectionFailed(reason: "\(host):\(port): \(error)"))
            }
            guard configuration.reconnect, !stopped else { break }
            configuration.logger.debug("reconnecting after backoff", metadata: ["server": "\(host):\(port)", "backoff": "\(backoff)"])
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, configuration.maximumBackoff)
        }
        continuation.finish()
    }

    private func connect() async throws -> any Channel {
        let settings = IGTLConnectionHandler.Settings(decoding: configuration.decoding, negotiate: false, initialHeaderVersion: 1,
                                                      computeCRC: configuration.computeCRC, keepAliveInterval: nil,
                                                      logger: configuration.logger)
        let idle = configuration.idleTimeout.map { TimeAmount($0) }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = IGTLConnectionHandler(settings: settings) { event in
                        switch event {
                        case .message(let m):
                            // Counted before the consumer can see it, so its acknowledgement
                            // can never come first (and be lost to the clamp at zero).
                            self.deliveredOne(on: channel)
                            self.emit(.message(m))
                        case .skipped(let f, let e): self.emit(.skipped(f, e))
                        case .closed(let reason):
                            self.flow.withLock { $0.paused.removeAll { $0 === channel } }
                            self.emit(.disconnected(reason: reason))
                        case .headerVersionRaised: break
                        }
                    }
                    try IGTLConnectionHandler.install(handler, on: channel, idleTimeout: idle)
                }
            }
        return try await bootstrap.connect(host: host, port: port).get()
    }
}
