import Logging
import NIOCore
import NIOPosix
import Synchronization

/// An OpenIGTLink server on SwiftNIO serving any number of clients, like PlusServer.
///
/// Binds 127.0.0.1 unless told otherwise. Each client starts at header version 1 and is
/// raised to version 2 as soon as it sends a version 2 message (PlusServer's rule; Slicer
/// sends a v2 STATUS on connect). `broadcast` and `send` encode every message with the
/// version negotiated for each client (COMMAND and RTS_COMMAND always with version 2).
///
/// A client that does not keep up (more than `maximumPendingBytes` queued) misses broadcast
/// messages instead of accumulating lag; `droppedMessages(for:)` counts them.
///
/// ```swift
/// let server = try await IGTLServer.start(configuration: .init(port: 18944))
/// server.broadcast(IGTLMessage(deviceName: "Image_Reference", body: .image(image)))
/// for await event in server.events { ... }
/// ```
public final class IGTLServer: Sendable {
    /// Server behaviour.
    public struct Configuration: Sendable {
        /// Address to bind; keep 127.0.0.1 unless remote clients are meant to connect.
        public var host = "127.0.0.1"
        /// Port; 0 picks a free one (read `port` after starting).
        public var port = OpenIGTLink.defaultPort
        /// Limits and checks for incoming messages.
        public var decoding = IGTLDecodingOptions()
        /// Header version each client starts with.
        public var initialHeaderVersion: UInt16 = 1
        /// Raise a client to version 2 when it sends a version 2 message.
        public var negotiateHeaderVersion = true
        /// Send STATUS OK (header v1, empty device name) this often, like PlusServer (nil: never).
        public var keepAliveInterval: Duration? = nil
        /// Close a client from which nothing arrives for this long (nil: never).
        public var idleTimeout: Duration? = nil
        /// Put a CRC into outgoing messages.
        public var computeCRC = true
        /// Bytes queued for one client above which broadcasts skip it.
        public var maximumPendingBytes = 16 << 20
        /// Events kept for a slow consumer before the oldest are dropped.
        public var bufferSize = 1024
        /// Network log lines (clients connecting and leaving, skipped messages), all at debug
        /// level so nothing reaches stdout unless the host raises the level.
        public var logger = Logger(label: "freehand.igtl")

        public init(host: String = "127.0.0.1", port: Int = OpenIGTLink.defaultPort) {
            self.host = host
            self.port = port
        }
    }

    /// What the server reports.
    public enum Event: Sendable {
        case clientConnected(IGTLClientID, remoteAddress: String)
        case message(IGTLClientID, IGTLMessage)
        /// A message that could not be decoded was dropped; the client stays connected.
        case skipped(IGTLClientID, IGTLFrame, IGTLError)
        case headerVersionRaised(IGTLClientID, UInt16)
        case clientDisconnected(IGTLClientID, reason: String)
    }

    /// The configuration the server was started with.
    public let configuration: Configuration
    /// The bound port (useful with port 0).
    public let port: Int
    /// Everything the server reports; finishes after `close()`. Single consumer.
    public let events: AsyncStream<Event>

    private let continuation: AsyncStream<Event>.Continuation
    private let serverChannel: any Channel
    private let registry: Mutex<Registry>

    private struct ClientState {
        var channel: any Channel
        var headerVersion: UInt16
        var dropped = 0
    }

    private struct Registry {
        var nextID = 1
        var clients: [IGTLClientID: ClientState] = [:]
    }

    private init(configuration: Configuration, port: Int, serverChannel: any Channel,
                 events: AsyncStream<Event>, continuation: AsyncStream<Event>.Continuation) {
        self.configuration = configuration
        self.port = port
        self.serverChannel = serverChannel
        self.registry = Mutex(Registry())
        self.events = events
        self.continuation = continuation
    }

    /// Binds and starts serving.
    public static func start(configuration: Configuration = .init(),
                             group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> IGTLServer {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(max(1, configuration.bufferSize)))
        let box = ServerBox()
        let settings = IGTLConnectionHandler.Settings(
            decoding: configuration.decoding, negotiate: configuration.negotiateHeaderVersion,
            initialHeaderVersion: configuration.initialHeaderVersion, computeCRC: configuration.computeCRC,
            keepAliveInterval: configuration.keepAliveInterval.map { TimeAmount($0) }, logger: configuration.logger)
        let idle = configuration.idleTimeout.map { TimeAmount($0) }
        let pending = max(1, configuration.maximumPendingBytes)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: pending / 2, high: pending))
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server = box.server else { throw IGTLTransportError.closed }
                    let id = server.register(channel)
                    let handler = IGTLConnectionHandler(settings: settings) { [weak server] event in
                        server?.handle(event, from: id)
                    }
                    try IGTLConnectionHandler.install(handler, on: channel, idleTimeout: idle)
                }
            }
        let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
        let server = IGTLServer(configuration: configuration, port: channel.localAddress?.port ?? configuration.port,
                                serverChannel: channel, events: events, continuation: continuation)
        configuration.logger.debug("OpenIGTLink server listening", metadata: ["address": "\(configuration.host):\(server.port)"])
        box.server = server
        return server
    }

    /// Connected clients.
    public var clients: [IGTLClientID] { registry.withLock { $0.clients.keys.sorted() } }

    /// The header version used for `client` (1 until it sends a version 2 message).
    public func headerVersion(of client: IGTLClientID) -> UInt16? {
        registry.withLock { $0.clients[client]?.headerVersion }
    }

    /// Broadcast messages skipped for `client` because it did not keep up.
    public func droppedMessages(for client: IGTLClientID) -> Int {
        registry.withLock { $0.clients[client]?.dropped ?? 0 }
    }

    /// Sends `message` to every client, each in its negotiated header version, skipping
    /// clients whose send queue is full. Returns without waiting for the writes.
    public func broadcast(_ message: IGTLMessage) {
        let channels: [(IGTLClientID, any Channel)] = registry.withLock { r in
            var out: [(IGTLClientID, any Channel)] = []
            for (id, c) in r.clients {
                if c.channel.isWritable { out.append((id, c.channel)) } else { r.clients[id]?.dropped += 1 }
            }
            return out
        }
        for (_, channel) in channels { channel.writeAndFlush(message, promise: nil) }
    }

    /// Sends `message` to one client and waits until it is written.
    public func send(_ message: IGTLMessage, to client: IGTLClientID) async throws {
        guard let channel = registry.withLock({ $0.clients[client]?.channel }) else { throw IGTLTransportError.unknownClient(client) }
        try await channel.writeAndFlush(message)
    }

    /// Disconnects one client.
    public func disconnect(_ client: IGTLClientID) async {
        let channel = registry.withLock { $0.clients[client]?.channel }
        try? await channel?.close()
    }

    /// Stops listening, disconnects every client and finishes `events`.
    public func close() async {
        try? await serverChannel.close()
        let channels = registry.withLock { $0.clients.values.map(\.channel) }
        for channel in channels { try? await channel.close() }
        continuation.finish()
    }

    private func register(_ channel: any Channel) -> IGTLClientID {
        let id = registry.withLock { r -> IGTLClientID in
            let id = IGTLClientID(rawValue: r.nextID)
            r.nextID += 1
            r.clients[id] = ClientState(channel: channel, headerVersion: configuration.initialHeaderVersion)
            return id
        }
        continuation.yield(.clientConnected(id, remoteAddress: channel.remoteAddress?.description ?? "?"))
        return id
    }

    private func handle(_ event: IGTLConnectionEvent, from id: IGTLClientID) {
        switch event {
        case .message(let m): continuation.yield(.message(id, m))
        case .skipped(let f, let e): continuation.yield(.skipped(id, f, e))
        case .headerVersionRaised(let v):
            registry.withLock { $0.clients[id]?.headerVersion = v }
            continuation.yield(.headerVersionRaised(id, v))
        case .closed(let reason):
            registry.withLock { _ = $0.clients.removeValue(forKey: id) }
            continuation.yield(.clientDisconnected(id, reason: reason))
        }
    }
}

/// Lets the child-channel initializer reach the server created after `bind` returns
/// (weakly: the server owns the channel that owns the initializer).
private final class ServerBox: Sendable {
    private struct Weak { weak var server: IGTLServer? }
    private let value = Mutex(Weak())
    var server: IGTLServer? {
        get { value.withLock { $0.server } }
        set { value.withLock { $0.server = newValue } }
    }
}
