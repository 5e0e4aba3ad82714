import Foundation
import IGTLink
import Synchronization

/// The network side of Plus Remote on an `IGTLServer` (listen's `--serve-volume` port): takes
/// the commands clients send (ignoring a repeated command id among a client's last 10, as
/// PlusServer does), and sends each job's messages to its client in order, off the caller's
/// loop (at most `2 * maximumPending` sends wait for clients that do not read; beyond, replies
/// are dropped rather than held). Jobs run one after another on a background queue, so
/// replies keep the commands' order.
public final class PlusRemoteEndpoint: Sendable {
    private struct State {
        var requests: [PlusRemoteRequest] = []
        var recentIDs: [IGTLClientID: [UInt32]] = [:]
        var ignored = 0
        /// Notices let through in the current second, and when that second began.
        var noticesThisSecond = 0
        var second = ContinuousClock.now
        var suppressed = 0
    }

    /// Most notices passed on per second (a peer flooding commands must not flood the terminal).
    static let noticesPerSecond = 20

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

    /// Most requests kept waiting for the loop; beyond, a command is answered at once with a
    /// failure ("too many commands waiting"), so every command still gets a reply.
    static let maximumPending = 4096

    /// Starts reading `server.events` (which must have no other consumer).
    public init(server: IGTLServer, notice: (@Sendable (String) -> Void)?) {
        self.server = server
        self.notice = notice
        let (stream, outbox) = AsyncStream.makeStream(of: (IGTLClientID, [IGTLMessage]).self, bufferingPolicy: .bufferingOldest(Self.maximumPending * 2))
        self.outbox = outbox
        let shared = self.shared
        drain = Task {
            for await event in server.events {
                switch event {
                case .message(let client, let message):
                    guard let request = PlusRemoteRequest(message, from: client) else { continue }
                    let full = shared.state.withLock { $0.requests.count >= Self.maximumPending }
                    if full {
                        let reply = PlusRemoteReply.failure("too many commands waiting (\(Self.maximumPending)); send it again later")
                        outbox.yield((client, [reply.message(answering: request)]))
                        continue
                    }
                    let accepted = shared.state.withLock { s -> Bool in
                        func ignore() -> Bool {
                            s.ignored += 1
                            return false
                        }
                        let id: UInt32? = switch request.form {
                        case .command(let id, _): id
                        case .legacy(let uid): uid
                        }
                        if let id {
                            if s.recentIDs[client, default: []].contains(id) { return ignore() }
                            s.recentIDs[client, default: []].append(id)
                            if s.recentIDs[client]!.count > 10 { s.recentIDs[client]!.removeFirst() }
                        }
                        s.requests.append(request)
                        return true
                    }
                    if !accepted {
                        let n = shared.state.withLock { $0.ignored }
                        if n == 1 || n % 1000 == 0 {
                            notice?("Plus Remote: command \(request.name.prefix(64)) ignored: its id repeats one of the client's last 10 (\(n) so far)")
                        }
                    }
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
        let outbox = self.outbox, notice = self.notice, shared = self.shared
        work.async {
            let (messages, text) = job.run()
            if let text, let notice {
                let (pass, suppressed) = shared.state.withLock { s -> (Bool, Int) in
                    let now = ContinuousClock.now
                    var dropped = 0
                    if now - s.second >= .seconds(1) {
                        (s.second, s.noticesThisSecond, dropped, s.suppressed) = (now, 0, s.suppressed, 0)
                    }
                    s.noticesThisSecond += 1
                    if s.noticesThisSecond > Self.noticesPerSecond { s.suppressed += 1 }
                    return (s.noticesThisSecond <= Self.noticesPerSecond, dropped)
                }
                if suppressed > 0 { notice("Plus Remote: \(suppressed) more command notices suppressed") }
                if pass { notice(text) }
            }
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
