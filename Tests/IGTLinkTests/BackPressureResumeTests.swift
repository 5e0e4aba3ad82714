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
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = nil
        cc.maxUnconsumedMessages = 2
        let client = IGTLClient(port: server.port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        await occupyCooperativeThreads(for: .milliseconds(50))
        var failure: (any Error)?
        do {
            for i in 0..<2 { _ = try await events.next("round \(round): message \(i)", within: 300, where: isMessage) }
            client.consumed(2)  // reading must resume
            _ = try await events.next("round \(round): a message after consumed(2)", within: 120, where: isMessage)
        } catch {
            failure = error
        }
        await client.close()
        await server.close()
        if let failure { throw failure }
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
