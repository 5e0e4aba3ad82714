import Foundation
import IGTLink
import Synchronization

/// The network side of Plus Remote on an `IGTLServer` (listen's `--serve-volume` port): takes
/// the commands clients send (ignoring a repeated command id among a client's last 10, as
/// PlusServer does), and sends each job's messages to its client in order, off the caller's
/// loop (at most `2 * maximumPending` sends wait for clients that do not read; beyond, replies
/// are dropped rather than held; a client that does not take a message within `sendDeadline`
/// is disconnected, so it cannot hold up the replies to others; and a client has at most one
/// volume job waiting, further ones are answered "busy"). Jobs run one after another on a
/// background queue, so replies keep the commands' order.
public final class PlusRemoteEndpoint: Sendable {
    private struct State {
        var requests: [PlusRemoteRequest] = []
        var recentIDs: [IGTLClientID: [UInt32]] = [:]
        var ignored = 0
        /// Notices let through in the current second, and when that second began.
        var noticesThisSecond = 0
        var second = ContinuousClock.now
        var suppressed = 0
        /// Volume jobs per client not yet sent (or dropped).
        var volumeJobs: [IGTLClientID: Int] = [:]
    }

    /// The longest one message may take to be written to a client before the client is
    /// disconnected (generous: a whole volume to a client that reads, on a loaded machine).
    static let sendDeadline: Duration = .seconds(10)

    /// Most notices passed on per second (a peer flooding commands must not flood the terminal).
    static let noticesPerSecond = 20

    /// What the background tasks share with the endpoint.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let senderDone = Atomic<Bool>(false)

        /// A volume job of `client` was sent or dropped.
        func finishVolumeJob(_ client: IGTLClientID) {
            state.withLock { s in
                let n = s.volumeJobs[client, default: 1] - 1
                s.volumeJobs[client] = n > 0 ? n : nil
            }
        }
    }

    private let server: IGTLServer
    private let shared = Shared()
    private let outbox: AsyncStream<Outgoing>.Continuation
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
        let (stream, outbox) = AsyncStream.makeStream(of: Outgoing.self, bufferingPolicy: .bufferingOldest(Self.maximumPending * 2))
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
                        outbox.yield(Outgoing(client: client, messages: [reply.message(answering: request)], volume: false))
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
            for await outgoing in stream {
                for message in outgoing.messages {
                    if let why = await Self.send(message, to: outgoing.client, on: server) {
                        notice?("Plus Remote: reply to client \(outgoing.client) not sent: \(why)")
                        break
                    }
                }
                if outgoing.volume { shared.finishVolumeJob(outgoing.client) }
            }
            shared.senderDone.store(true, ordering: .releasing)
        }
    }

    /// Messages for one client, and whether they answer a volume job.
    private struct Outgoing: Sendable {
        let client: IGTLClientID
        let messages: [IGTLMessage]
        let volume: Bool
    }

    /// Sends `message` to `client`, waiting at most `sendDeadline`: a client that does not take
    /// it in time is disconnected (which ends the write). Returns why it was not sent, or nil.
    private static func send(_ message: IGTLMessage, to client: IGTLClientID, on server: IGTLServer) async -> String? {
        await withTaskGroup(of: (timedOut: Bool, error: String?).self) { group in
            group.addTask {
                do { try await server.send(message, to: client); return (false, nil) } catch { return (false, "\(error)") }
            }
            group.addTask {
                do { try await Task.sleep(for: sendDeadline) } catch { return (false, nil) }
                return (true, "the client did not read it within \(sendDeadline); disconnected")
            }
            let first = await group.next() ?? (false, nil)
            if first.timedOut { await server.disconnect(client) }
            group.cancelAll()
            return first.error
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
        var job = job, volume = false
        if let client = job.client, let busy = job.busy {
            volume = shared.state.withLock { s -> Bool in
                guard s.volumeJobs[client, default: 0] == 0 else { return false }
                s.volumeJobs[client] = 1
                return true
            }
            if !volume { job = PlusRemoteJob(client: client) { ([busy], "Plus Remote: client \(client) asked for a volume while its last one is still on the way: busy") } }
        }
        let work = job, isVolume = volume
        self.work.async {
            let (messages, text) = work.run()
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
            guard let client = work.client else { return }
            var queued = false
            if !messages.isEmpty, case .enqueued = outbox.yield(Outgoing(client: client, messages: messages, volume: isVolume)) { queued = true }
            if isVolume, !queued { shared.finishVolumeJob(client) }
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
