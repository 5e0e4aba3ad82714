import Logging
import NIOCore

/// What one connection reports to its owner (client or server).
enum IGTLConnectionEvent: Sendable {
    case message(IGTLMessage)
    case skipped(IGTLFrame, IGTLError)
    case headerVersionRaised(UInt16)
    case closed(reason: String)
}

/// Per-connection protocol logic on the event loop: reports what `IGTLStreamDecoder` decoded, encodes
/// outgoing `IGTLMessage`s with the header version negotiated for this peer, closes on dead
/// peers (idle timeout) and fatal framing errors, and sends optional STATUS keep-alives.
final class IGTLConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = IGTLDecodeResult
    typealias OutboundIn = IGTLMessage
    typealias OutboundOut = ByteBuffer

    struct Settings: Sendable {
        var decoding: IGTLDecodingOptions
        /// Raise `headerVersion` when the peer sends a newer one (server behaviour, as PlusServer).
        var negotiate: Bool
        /// Header version used for outgoing messages when negotiating (starts at this value).
        var initialHeaderVersion: UInt16
        var computeCRC: Bool
        var keepAliveInterval: TimeAmount?
        /// Receives this connection's network log lines (label "freehand.igtl").
        var logger: Logger
    }

    /// The pipeline for one connection: optional idle detection, the stream decoder (buffer
    /// bounded by the largest accepted message), then `handler`.
    static func install(_ handler: IGTLConnectionHandler, on channel: any Channel, idleTimeout: TimeAmount?) throws {
        let ops = channel.pipeline.syncOperations
        let decoding = handler.settings.decoding
        if let idleTimeout { try ops.addHandler(IdleStateHandler(readTimeout: idleTimeout)) }
        try ops.addHandler(ByteToMessageHandler(IGTLStreamDecoder(options: decoding),
                                                maximumBufferSize: decoding.maxBodySize + IGTLHeader.size + (1 << 20)))
        try ops.addHandler(handler)
    }

    private let settings: Settings
    private let onEvent: @Sendable (IGTLConnectionEvent) -> Void
    private var headerVersion: UInt16
    private var closeReason = "peer closed the connection"
    private var keepAlive: RepeatedTask?
    private var peer = "?"

    init(settings: Settings, onEvent: @escaping @Sendable (IGTLConnectionEvent) -> Void) {
        self.settings = settings
        self.onEvent = onEvent
        self.headerVersion = settings.initialHeaderVersion
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.channel.remoteAddress?.description ?? "?"
        settings.logger.debug("OpenIGTLink connection up", metadata: ["peer": "\(peer)"])
        if let interval = settings.keepAliveInterval {
            // PlusServer's keep-alive: STATUS OK, empty device name, always header version 1.
            let bytes = (try? IGTLMessage(deviceName: "", body: .status(.ok)).encoded(headerVersion: 1, computeCRC: settings.computeCRC)) ?? []
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            keepAlive = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
                let ctx = loopBound.value
                guard ctx.channel.isWritable else { return }
                ctx.writeAndFlush(NIOAny(ctx.channel.allocator.buffer(bytes: bytes)), promise: nil)
            }
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        keepAlive?.cancel()
        keepAlive = nil
        settings.logger.debug("OpenIGTLink connection down", metadata: ["peer": "\(peer)", "reason": "\(closeReason)"])
        onEvent(.closed(reason: closeReason))
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let result = unwrapInboundIn(data)
        let version: UInt16
        switch result {
        case .message(let m): version = m.headerVersion
        case .skipped(let frame, let error):
            version = frame.header.version
            settings.logger.debug("skipped an OpenIGTLink message", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
        if settings.negotiate && version > headerVersion && version <= 2 {
            headerVersion = version
            onEvent(.headerVersionRaised(headerVersion))
        }
        switch result {
        case .message(let m): onEvent(.message(m))
        case .skipped(let frame, let error): onEvent(.skipped(frame, error))
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let message = unwrapOutboundIn(data)
        var version = settings.negotiate ? headerVersion : message.headerVersion
        switch message.body {
        case .command, .commandReply: version = 2  // exist only in header version 2
        default: break
        }
        do {
            let frame = try message.frame(headerVersion: version, computeCRC: settings.computeCRC)
            var buffer = context.channel.allocator.buffer(capacity: IGTLHeader.size + frame.body.count)
            buffer.writeBytes(frame.header.encoded())
            buffer.writeBytes(frame.body)
            context.write(wrapOutboundOut(buffer), promise: promise)
        } catch {
            promise?.fail(error)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            // Reading paused by back-pressure (a busy consumer, `maxUnconsumedMessages`) is not a
            // dead peer: closing would lose what the sender has in flight.
            if let autoRead = try? context.channel.syncOptions?.getOption(ChannelOptions.autoRead), !autoRead { return }
            closeReason = "no data received within the idle timeout (dead peer)"
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        if let e = error as? IGTLError {
            closeReason = "protocol error: \(e)"
        } else {
            closeReason = "error: \(error)"
        }
        settings.logger.debug("closing the OpenIGTLink connection", metadata: ["peer": "\(peer)", "reason": "\(closeReason)"])
        context.close(promise: nil)
    }
}
