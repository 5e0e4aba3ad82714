import Foundation
import Geometry
import IGTLink
import Imaging
import Synchronization

/// `freehand replay` as a library: an OpenIGTLink server on 127.0.0.1 that streams a
/// `ReplaySource` the way PlusServer streams a live device: IMAGE and TRANSFORM messages stamped
/// with wall-clock times that keep the recorded spacing, sent at the recorded pace (times
/// `rate`) or as fast as the clients take them, header v1 unless a client speaks v2, STATUS
/// keep-alives in between.
///
/// Paced streaming broadcasts (a client that falls more than 16 MiB behind misses messages, as
/// with PlusServer); `asFastAsPossible` waits for every client's socket instead, so nothing is
/// ever dropped.
public final class LiveReplayer: Sendable {
    public struct Options: Sendable {
        public var port = 18944
        /// Playback speed; ignored when `asFastAsPossible`.
        public var rate = 1.0
        public var asFastAsPossible = false
        /// Start over at the end.
        public var loop = false
        /// Wait for this many clients before starting the clock.
        public var waitForClients = 1
        /// STATUS keep-alive period.
        public var keepAliveInterval: Duration = .seconds(1)
        /// Stop after this many seconds of streaming.
        public var duration: Double?
        /// Called with short human-readable notices.
        public var notice: (@Sendable (String) -> Void)?
        public init() {}
    }

    /// Counts.
    public struct Summary: Sendable {
        public var imagesSent = 0
        public var transformsSent = 0
        public var passes = 0
        /// Messages skipped for clients that fell behind (paced mode).
        public var droppedForSlowClients = 0
        public var seconds = 0.0
    }

    public let options: Options
    private let stopFlag = Mutex(false)
    private let boundPort = Mutex<Int?>(nil)

    public init(options: Options) {
        self.options = options
    }

    /// Asks `run` to finish after the current message.
    public func stop() { stopFlag.withLock { $0 = true } }

    /// The port once listening (useful with port 0).
    public var port: Int? { boundPort.withLock { $0 } }

    /// Streams `source` until it ends (without `loop`), `duration`, or `stop()`.
    public func run<S: ReplaySource>(_ source: S) async throws -> Summary {
        var source = source
        var config = IGTLServer.Configuration(host: "127.0.0.1", port: options.port)
        config.keepAliveInterval = options.keepAliveInterval
        let server = try await IGTLServer.start(configuration: config)
        boundPort.withLock { $0 = server.port }
        options.notice?("serving on 127.0.0.1:\(server.port)")
        let events = Task {
            for await e in server.events {
                switch e {
                case .clientConnected(let id, let address): options.notice?("client \(id) connected from \(address)")
                case .clientDisconnected(let id, let why): options.notice?("client \(id) left: \(why)")
                case .headerVersionRaised(let id, let v): options.notice?("client \(id) speaks header v\(v)")
                default: break
                }
            }
        }
        defer { events.cancel() }

        var summary = Summary()
        while server.clients.count < options.waitForClients {
            if stopFlag.withLock({ $0 }) || Task.isCancelled { await server.close(); return summary }
            try await Task.sleep(for: .milliseconds(20))
        }
        let startNs = MonotonicClock.nanoseconds
        let startWall = MonotonicClock.wallSeconds
        var offset = 0.0
        var dropped: [IGTLClientID: Int] = [:]
        var eventsInPass = 0
        summary.passes = 1
        streaming: while !stopFlag.withLock({ $0 }) && !Task.isCancelled {
            let next: ReplayEvent?
            do {
                next = try source.next()
            } catch {
                await server.close()
                throw error
            }
            guard let event = next else {
                guard options.loop, eventsInPass > 0 else { break streaming }  // an empty pass would loop forever
                offset += try source.rewind()
                summary.passes += 1
                eventsInPass = 0
                continue
            }
            eventsInPass += 1
            let t = event.time + offset
            if let d = options.duration, t >= d { break }
            if !options.asFastAsPossible {
                let due = startNs + UInt64(max(0, t / options.rate) * 1e9)
                let now = MonotonicClock.nanoseconds
                if due > now { try? await Task.sleep(for: .nanoseconds(Int(due - now))) }
            }
            let stamp = IGTLTimestamp(secondsSince1970: startWall + t / (options.asFastAsPossible ? 1 : options.rate))
            let message: IGTLMessage
            switch event {
            case .image(_, let device, let image, let matrix):
                message = IGTLMessage(deviceName: device, timestamp: stamp, body: .image(IGTLImage(image: image, imageToReference: matrix)))
                summary.imagesSent += 1
            case .transform(_, let name, let matrix):
                var full = name.description
                var metadata: [IGTLMetadataItem] = []
                if full.utf8.count > 20 {
                    metadata = [IGTLMetadataItem(key: "IGTL_DEVICE_NAME", value: full)]
                    full = String(decoding: Array(full.utf8.prefix(20)), as: UTF8.self)
                }
                message = IGTLMessage(deviceName: full, timestamp: stamp, body: .transform(matrix), metadata: metadata)
                summary.transformsSent += 1
            }
            if options.asFastAsPossible {
                for id in server.clients { try? await server.send(message, to: id) }
            } else {
                server.broadcast(message)
            }
            for id in server.clients { dropped[id] = server.droppedMessages(for: id) }
            summary.droppedForSlowClients = dropped.values.reduce(0, +)
        }
        summary.seconds = Double(MonotonicClock.nanoseconds - startNs) / 1e9
        // Let the last writes leave before closing.
        try? await Task.sleep(for: .milliseconds(200))
        await server.close()
        return summary
    }
}
