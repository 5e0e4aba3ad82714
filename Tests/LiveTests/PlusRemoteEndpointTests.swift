import FreehandTestSupport
import Foundation
import IGTLink
import Synchronization
import Testing
@testable import Live

/// The endpoint's back-pressure: one volume job per client.
@Suite struct PlusRemoteEndpointTests {
    /// A volume job for `client` that waits for `gate` (when given) and notices `label`.
    static func volumeJob(_ label: String, client: IGTLClientID, gate: DispatchSemaphore? = nil) -> PlusRemoteJob {
        let request = PlusRemoteTests.command(#"<Command Name="GetVolumeReconstructionSnapshot"/>"#)
        let reply = PlusRemoteReply.success("Command succeeded.").message(answering: request)
        return PlusRemoteJob(client: client, busy: PlusRemoteJob.busyReply("snapshot", to: request)) {
            gate?.wait()
            return ([reply], label)
        }
    }

    /// While a client's volume job is still being built, its next one is answered "busy";
    /// once the first has left (here: its send failed, the client being unknown), a new one runs.
    @Test(.timeLimit(.minutes(5)))  // a hang deadline only
    func answersBusyWhileAVolumeIsOnTheWay() async throws {
        let notices = Mutex<[String]>([])
        let server = try await IGTLServer.start(configuration: .init(host: "127.0.0.1", port: 0))
        let endpoint = PlusRemoteEndpoint(server: server) { line in notices.withLock { $0.append(line) } }
        let client = IGTLClientID(rawValue: 4242), gate = DispatchSemaphore(value: 0)
        endpoint.perform(Self.volumeJob("first", client: client, gate: gate))
        endpoint.perform(Self.volumeJob("second", client: client))
        gate.signal()
        _ = try await eventually("the first reply to fail") { notices.withLock { $0.contains { $0.contains("not sent") } } ? true : nil }
        endpoint.perform(Self.volumeJob("third", client: client))
        _ = try await eventually("the third job") { notices.withLock { $0.contains("third") } ? true : nil }
        await endpoint.close()
        await server.close()
        let seen = notices.withLock { $0 }
        #expect(seen.contains("first") && !seen.contains("second") && seen.contains { $0.contains("busy") }, "\(seen)")
    }
}
