import FreehandTestSupport
import Foundation
import Testing
@testable import IGTLink

/// Flow control (`maxUnconsumedMessages`) must resume reading whatever order the connection's
/// event loop, the client's connect task and the consumer run in.
@Suite struct BackPressureResumeTests {
    /// The connection reaches the limit and pauses before the client's connect task has resumed
    /// from `connect()`: every cooperative thread is busy (as CPU-bound tests make them in a full
    /// run) while the event loop, on its own thread, goes on reading keep-alives. The client
    /// used to reset its pause flag when that task resumed, leaving the channel paused with
    /// nothing left to resume it: `consumed(_:)` then never restarted reading.
    @Test func readingResumesWhenThePauseCameBeforeTheConnectTask() async throws {
        for round in 0..<10 { try await Self.pauseWhileThePoolIsBusy(round: round) }
    }

    private static func pauseWhileThePoolIsBusy(round: Int) async throws {
        let server = try await TransportTests.loopbackServer { $0.keepAliveInterval = .milliseconds(2) }
        let (client, events) = Self.losslessClient(of: server)
        await occupyCooperativeThreads(for: .milliseconds(50))
        var failure: (any Error)?
        do {
            for i in 0..<2 { _ = try await events.next("round \(round): message \(i)", within: 300, where: Self.isMessage) }
            client.consumed(2)  // reading must resume
            _ = try await events.next("round \(round): a message after consumed(2)", within: 120, where: Self.isMessage)
        } catch {
            failure = error
        }
        await client.close()
        await server.close()
        if let failure { throw failure }
    }

    /// The consumer acknowledges each message as soon as it takes it, on another thread than
    /// the event loop that delivered it, while reading pauses and resumes at every other message.
    /// An acknowledgement that came before its message was counted would be lost (the count
    /// cannot go below zero), the count would stay one too high, and reading would stay paused.
    @Test func acknowledgementsRacingDeliveriesAreNeverLost() async throws {
        let server = try await TransportTests.loopbackServer()
        let serverEvents = EventQueue(server.events)
        let (client, events) = Self.losslessClient(of: server)
        _ = try await Self.nextClient(serverEvents)
        for i in 0..<1000 { server.broadcast(IGTLMessage(deviceName: "M\(i)", body: .status(.ok))) }
        let last = try await Self.takeUntil("M999", from: events, acknowledging: client)
        #expect(last == "M999")
        await client.close()
        await server.close()
    }

    /// The consumer fell so far behind that `events` dropped messages (one read can deliver more
    /// than the limit: everything already in the read buffer is decoded). Dropped messages are
    /// never taken, so never acknowledged; they must not keep reading paused.
    @Test func droppedMessagesDoNotHoldReadingBack() async throws {
        let server = try await TransportTests.loopbackServer()
        let serverEvents = EventQueue(server.events)
        let (client, events) = Self.losslessClient(of: server) { $0.bufferSize = 4 }
        let id = try await Self.nextClient(serverEvents)
        for i in 0..<200 { try await server.send(IGTLMessage(deviceName: "M\(i)", body: .status(.ok)), to: id) }
        let last = try await Self.takeUntil("M199", from: events, acknowledging: client)
        #expect(last == "M199")
        await client.close()
        await server.close()
    }

    /// Without flow control a consumer that takes nothing loses all but the newest `bufferSize`
    /// messages, and every one lost is counted (`messagesDropped`), none silently.
    @Test func messagesPushedOutOfTheBufferAreCounted() async throws {
        let server = try await TransportTests.loopbackServer()
        let serverEvents = EventQueue(server.events)
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = nil
        cc.bufferSize = 4
        let client = IGTLClient(port: server.port, configuration: cc)
        client.start()
        let id = try await Self.nextClient(serverEvents)
        for i in 0..<200 { try await server.send(IGTLMessage(deviceName: "M\(i)", body: .status(.ok)), to: id) }
        _ = try await eventually("196 of 200 messages counted as dropped") { client.messagesDropped == 196 ? true : nil }
        var kept: [String] = []
        for await m in client.messages {
            kept.append(m.deviceName)
            if kept.count == 4 { break }
        }
        #expect(kept == ["M196", "M197", "M198", "M199"])
        #expect(client.messagesDropped == 196)
        await client.close()
        await server.close()
    }

    /// A connection lost while paused: the next one reads, pauses and resumes on its own.
    @Test func readingResumesOnTheConnectionAfterAPausedOne() async throws {
        let server = try await TransportTests.loopbackServer { $0.keepAliveInterval = .milliseconds(20) }
        let serverEvents = EventQueue(server.events)
        let (client, events) = Self.losslessClient(of: server) { $0.initialBackoff = .milliseconds(10) }
        let id = try await Self.nextClient(serverEvents)
        for i in 0..<2 { _ = try await events.next("message \(i)", within: 300, where: Self.isMessage) }
        await server.disconnect(id)  // two messages unacknowledged: the lost connection was paused
        _ = try await Self.nextClient(serverEvents, "server sees the client again")
        client.consumed(2)
        // Every message taken is acknowledged (one the test skipped would hold reading back).
        for i in 0..<10 {
            _ = try await events.next("message \(i) after reconnecting", within: 300, where: Self.isMessage)
            client.consumed(1)
        }
        await client.close()
        await server.close()
    }

    /// A started client with flow control at two messages and no dead-peer timeout.
    private static func losslessClient(of server: IGTLServer, _ configure: (inout IGTLClient.Configuration) -> Void = { _ in })
        -> (IGTLClient, EventQueue<IGTLClient.Event>) {
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = nil
        cc.maxUnconsumedMessages = 2
        configure(&cc)
        let client = IGTLClient(port: server.port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        return (client, events)
    }

    /// The next client the server sees.
    private static func nextClient(_ serverEvents: EventQueue<IGTLServer.Event>, _ what: String = "server sees client") async throws -> IGTLClientID {
        let e = try await serverEvents.next(what, within: 300) { if case .clientConnected = $0 { true } else { false } }
        guard case .clientConnected(let id, _) = e else { throw TestTimeout(what: what) }
        return id
    }

    /// Takes messages, acknowledging each, until one named `name` arrives; returns its name.
    private static func takeUntil(_ name: String, from events: EventQueue<IGTLClient.Event>, acknowledging client: IGTLClient) async throws -> String {
        while true {
            let e = try await events.next("message \(name)", within: 300, where: isMessage)
            client.consumed(1)
            if case .message(let m) = e, m.deviceName == name { return m.deviceName }
        }
    }

    private static let isMessage: @Sendable (IGTLClient.Event) -> Bool = { if case .message = $0 { true } else { false } }

    /// Keeps every cooperative thread busy for `duration`, so no task resumes meanwhile (NIO's
    /// event loops run on their own threads and go on).
    private static func occupyCooperativeThreads(for duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<ProcessInfo.processInfo.activeProcessorCount {
                group.addTask { while ContinuousClock.now < deadline {} }
            }
        }
    }
}
