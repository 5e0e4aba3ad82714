import Foundation
import Testing
@testable import IGTLink

@Suite struct BackPressureIdleTests {
    /// A lossless client whose consumer is busy (e.g. `listen --lossless` pasting its kept frames
    /// into a grown grid) stops reading; the read idle timeout must not then take the server for
    /// dead and close the connection, losing what is in flight.
    @Test func pausedReadingIsNotADeadPeer() async throws {
        let server = try await TransportTests.loopbackServer()  // no keep-alives
        let serverEvents = EventQueue(server.events)
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = .milliseconds(200)
        cc.maxUnconsumedMessages = 2
        let client = IGTLClient(port: server.port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await serverEvents.next("server sees client") { if case .clientConnected = $0 { return true }; return false }
        for i in 0..<6 { server.broadcast(IGTLMessage(deviceName: "M\(i)", body: .status(.ok))) }
        // Two messages taken, not acknowledged: reading pauses. Stay busy for many idle timeouts.
        for i in 0..<2 { _ = try await events.next("message \(i)") { if case .message = $0 { return true }; return false } }
        try await Task.sleep(for: .milliseconds(1500))
        #expect(client.isConnected, "paused reading was taken for a dead peer")
        client.consumed(2)
        for i in 2..<6 {
            let e = try await events.next("message \(i)") { if case .message = $0 { return true }; if case .disconnected = $0 { return true }; return false }
            guard case .message(let m) = e else { Issue.record("disconnected before message \(i)"); break }
            #expect(m.deviceName == "M\(i)")
            client.consumed(1)
        }
        await client.close()
        await server.close()
    }
}
