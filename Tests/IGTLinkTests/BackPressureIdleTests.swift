import Foundation
import Testing
@testable import IGTLink

@Suite struct BackPressureIdleTests {
    /// A lossless client whose consumer is busy (e.g. `listen --lossless` pasting its kept frames
    /// into a grown grid) stops reading; the read idle timeout must not then take the server for
    /// dead and close the connection, losing what is in flight. The server's keep-alives keep
    /// the connection up until reading pauses (after two unacknowledged messages); then nothing
    /// is read for several idle timeouts.
    @Test func pausedReadingIsNotADeadPeer() async throws {
        let server = try await TransportTests.loopbackServer { $0.keepAliveInterval = .milliseconds(50) }
        let serverEvents = EventQueue(server.events)
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = .seconds(2)  // 40 keep-alive periods: margin for a loaded machine
        cc.maxUnconsumedMessages = 2
        let client = IGTLClient(port: server.port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await serverEvents.next("server sees client", within: 300) { if case .clientConnected = $0 { return true }; return false }
        // Two messages taken, not acknowledged: reading pauses.
        for i in 0..<2 { _ = try await events.next("message \(i)", within: 300) { if case .message = $0 { return true }; return false } }
        for i in 0..<4 { server.broadcast(IGTLMessage(deviceName: "M\(i)", body: .status(.ok))) }
        try await Task.sleep(for: .seconds(5))  // the consumer is busy for 2.5 idle timeouts
        #expect(client.isConnected, "paused reading was taken for a dead peer")
        client.consumed(2)  // reading resumes: the four messages and the keep-alives queued meanwhile
        var seen: [String] = []
        while seen.count < 4 {
            let e = try await events.next("message M\(seen.count)", within: 300) {
                if case .message = $0 { return true }
                if case .disconnected = $0 { return true }
                return false
            }
            guard case .message(let m) = e else { Issue.record("disconnected after \(seen)"); break }
            client.consumed(1)  // keep-alives too, so reading goes on
            if !m.deviceName.isEmpty { seen.append(m.deviceName) }
        }
        #expect(seen == ["M0", "M1", "M2", "M3"])
        await client.close()
        await server.close()
    }
}
