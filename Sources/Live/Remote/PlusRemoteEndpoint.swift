import Foundation
import IGTLink
import Synchronization

/// The network side of Plus Remote on an `IGTLServer` (listen's `--serve-volume` port): takes
/// the commands clients send (ignoring a repeated command id among a client's last 10, as
/// PlusServer does), and sends each job's messages to its client in order, off the caller's
/// loop. Jobs run one after another on a background queue, so replies keep the commands' order.
public final class PlusRemoteEndpoint: Sendable {
    private struct State {
        var requests: [PlusRemoteRequest] = []
        var recentIDs: [IGTLClientID: [UInt32]] = [:]
    }

    /// What the background tasks share with the endpoint.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let senderDone = Atomic<Bool>(false)
    }

    private let server: IGTLServer
    private let shared = Shared()
    private let outbox: AsyncStream<(IGTLClientID, [IGTLMessage])>.Continuation
    private let drain: Task<Void, Never>
    private let sender: Task<Void, Never>
    private let work = DispatchQueue(label: "freehand.live.plus-remote")
    private let notice: (@Sendable (String) -> Void)?

    /// Most requests kept waiting for the loop (a flood beyond is dropped with a notice).
    static let maximumPending = 256

    /// Starts reading `server.events` (which must have no other consumer).
    public init(server: IGTLServer, notice: (@Sendable (String) -> Void)?) {
        self.server = server
        self.notice = notice
        let (stream, outbox) = AsyncStream.makeStream(of: (IGTLClientID, [IGTLMessage]).self, bufferingPolicy: .unbounded)
        self.outbox = outbox
        let shared = self.shared
        drain = Task {
            for await event in server.events {
                switch event {
                case .message(let client, let message):
                    guard let request = PlusRemoteRequest(message, from: client) else { continue }
                    let accepted = shared.state.withLock { s -> Bool in
                        let id: UInt32? = switch request.form {
                        case .command(let id, _): id
                        case .legacy(let uid): uid
                        }
                        if let id {
                            if s.recentIDs[client, default: []].contains(id) { return false }
                            s.recentIDs[client, default: []].append(id)
                            if s.recentIDs[client]!.count > 10 { s.recentIDs[client]!.removeFirst() }
                        }
                        guard s.requests.count < Self.maximumPending else { return false }
                        s.requests.append(request)
                        return true
                    }
                    if !accepted { notice?("Plus Remote: command \(request.name.prefix(64)) ignored (repeated id, or too many waiting)") }
                case .clientDisconnected(let client, _):
                    shared.state.withLock { _ = $0.recentIDs.removeValue(forKey: client) }
                default:
                    break
                }
            }
        }
        sender = Task {
            for await (client, messages) in stream {
                for message in messages {
                    do { try await server.send(message, to: client) } catch {
                        notice?("Plus Remote: reply to client \(client) not sent: \(error)")
                        break
                    }
                }
            }
            shared.senderDone.store(true, ordering: .releasing)
        }
    }

    /// The commands received since the last call, in order.
    public func takeRequests() -> [PlusRemoteRequest] {
        shared.state.withLock { s in
            defer { s.requests.removeAll() }
            return s.requests
        }
    }

    /// Runs `job` after the jobs before it and sends its messages to its client.
    public func perform(_ job: PlusRemoteJob) {
        let outbox = self.outbox, notice = self.notice
        work.async {
            let (messages, text) = job.run()
            if let text { notice?(text) }
            if let client = job.client, !messages.isEmpty { outbox.yield((client, messages)) }
        }
    }

    /// Finishes the jobs queued, sends their messages (waiting at most `deadline` seconds for
    /// slow clients), and stops reading commands. Call before closing the server.
    public func close(deadline: Double = 5) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in work.async { c.resume() } }
        outbox.finish()
        let start = ContinuousClock.now
        while !shared.senderDone.load(ordering: .acquiring), ContinuousClock.now - start < .seconds(deadline) {
            try? await Task.sleep(for: .milliseconds(10))
        }
        sender.cancel()
        drain.cancel()
    }
}
