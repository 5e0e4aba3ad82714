import Foundation
import Geometry
import Testing
@testable import IGTLink

@Suite(.serialized) struct TransportTests {
    static func loopbackServer(_ configure: (inout IGTLServer.Configuration) -> Void = { _ in }) async throws -> IGTLServer {
        var config = IGTLServer.Configuration(host: "127.0.0.1", port: 0)
        configure(&config)
        return try await IGTLServer.start(configuration: config)
    }

    @Test func clientServerExchangeWithHeaderVersionNegotiation() async throws {
        let server = try await Self.loopbackServer()
        let serverEvents = EventQueue(server.events)
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = nil
        let client = IGTLClient(host: "127.0.0.1", port: server.port, configuration: cc)
        let clientEvents = EventQueue(client.events)
        client.start()
        _ = try await clientEvents.next("client connected") { if case .connected = $0 { return true }; return false }
        let connected = try await serverEvents.next("server sees client") { if case .clientConnected = $0 { return true }; return false }
        guard case .clientConnected(let id, _) = connected else { return }
        #expect(server.headerVersion(of: id) == 1)

        // v1 client message reaches the server.
        try await client.send(IGTLMessage(deviceName: "ProbeToTracker", body: .transform(Samples.rotation)))
        let got = try await serverEvents.next("transform") { if case .message = $0 { return true }; return false }
        if case .message(_, let m) = got { #expect(m.body == .transform(Samples.rotation) && m.headerVersion == 1) }

        // Broadcast to a v1 client: metadata is not sent.
        server.broadcast(IGTLMessage(deviceName: "Image_Reference", body: .image(Samples.imageBody()), headerVersion: 2, metadata: Samples.metadata))
        let img = try await clientEvents.next("image") { if case .message = $0 { return true }; return false }
        if case .message(let m) = img { #expect(m.headerVersion == 1 && m.metadata.isEmpty && m.body == .image(Samples.imageBody())) }

        // The client sends v2 (as Slicer does on connect): raised to v2.
        try await client.send(IGTLMessage(deviceName: "", body: .status(.ok), headerVersion: 2))
        _ = try await serverEvents.next("raised") { if case .headerVersionRaised(_, 2) = $0 { return true }; return false }
        #expect(server.headerVersion(of: id) == 2)
        server.broadcast(IGTLMessage(deviceName: "ProbeToTracker", body: .transform(.identity), headerVersion: 1, metadata: Samples.metadata))
        let v2 = try await clientEvents.next("v2 transform") { if case .message = $0 { return true }; return false }
        if case .message(let m) = v2 { #expect(m.headerVersion == 2 && m.metadata == Samples.metadata) }

        // COMMAND / RTS_COMMAND.
        try await client.send(IGTLMessage(deviceName: "CMD", body: Samples.commandBodies[0], headerVersion: 2))
        let cmd = try await serverEvents.next("command") { if case .message(_, let m) = $0 { return m.typeName == "COMMAND" }; return false }
        guard case .message(_, let command) = cmd else { return }
        #expect(command.body == Samples.commandBodies[0])
        try await server.send(IGTLMessage(deviceName: "ACK", body: Samples.commandBodies[1]), to: id)
        let reply = try await clientEvents.next("reply") { if case .message = $0 { return true }; return false }
        if case .message(let m) = reply { #expect(m.body == Samples.commandBodies[1]) }

        await client.close()
        _ = try await serverEvents.next("disconnect") { if case .clientDisconnected = $0 { return true }; return false }
        #expect(server.clients.isEmpty)
        await server.close()
    }

    @Test func hostileClientIsSkippedThenClosed() async throws {
        let server = try await Self.loopbackServer { $0.decoding.maxBodySize = 1 << 20 }
        let events = EventQueue(server.events)
        let socket = try RawSocket(port: server.port)
        _ = try await events.next("connect") { if case .clientConnected = $0 { return true }; return false }

        var badCRC = try IGTLMessage(deviceName: "Bad", body: .string(IGTLString("hello"))).encoded()
        badCRC[badCRC.count - 1] ^= 0xFF
        socket.send(badCRC)
        let skipped = try await events.next("skipped") { if case .skipped = $0 { return true }; return false }
        if case .skipped(_, _, let error) = skipped {
            guard case .crcMismatch(let ctx, _, _) = error else { Issue.record("expected CRC error, got \(error)"); return }
            #expect(ctx == IGTLMessageContext(typeName: "STRING", deviceName: "Bad"))
        }
        // Still connected: a valid message arrives.
        socket.send(try IGTLMessage(deviceName: "Good", body: .string(IGTLString("ok"))).encoded())
        let good = try await events.next("good") { if case .message = $0 { return true }; return false }
        if case .message(_, let m) = good { #expect(m.deviceName == "Good") }

        // Absurd BODY_SIZE: closed from the header alone.
        var huge = IGTLHeader(version: 1, typeName: "IMAGE", deviceNameBytes: Array("Huge".utf8), timestamp: .zero,
                              bodySize: UInt64.max - 5, crc: 0).encoded()
        huge += [UInt8](repeating: 0, count: 100)
        socket.send(huge)
        let closed = try await events.next("closed") { if case .clientDisconnected = $0 { return true }; return false }
        if case .clientDisconnected(_, let reason) = closed { #expect(reason.contains("BODY_SIZE")) }
        await server.close()
    }

    @Test func deadPeerIsDetectedAndClientReconnects() async throws {
        let server = try await Self.loopbackServer()  // no keep-alives: looks dead to the client
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = .milliseconds(300)
        cc.initialBackoff = .milliseconds(50)
        let client = IGTLClient(port: server.port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await events.next("connected") { if case .connected = $0 { return true }; return false }
        let down = try await events.next("dead peer") { if case .disconnected = $0 { return true }; return false }
        if case .disconnected(let reason) = down { #expect(reason.contains("dead peer")) }
        _ = try await events.next("reconnected") { if case .connected = $0 { return true }; return false }
        await client.close()
        await server.close()
    }

    @Test func keepAlivesKeepTheConnectionUp() async throws {
        let server = try await Self.loopbackServer { $0.keepAliveInterval = .milliseconds(50) }
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = .milliseconds(2000)  // 40 keep-alive periods: margin for a loaded machine
        let client = IGTLClient(port: server.port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await events.next("connected") { if case .connected = $0 { return true }; return false }
        // At least 5 keep-alives arrive and the client stays connected for longer than its idle
        // timeout (a minimum duration, not a time limit: a slow machine only takes longer).
        var statuses = 0
        let start = ContinuousClock.now
        while statuses < 5 || ContinuousClock.now - start < .milliseconds(3000) {
            let e = try await events.next("keep-alive \(statuses + 1)")
            if case .disconnected = e { Issue.record("keep-alives did not keep the client connected"); break }
            if case .message(let m) = e, m.body == .status(.ok), m.deviceName.isEmpty, m.headerVersion == 1 { statuses += 1 }
        }
        #expect(statuses >= 5)
        await client.close()
        await server.close()
    }

    @Test func reconnectsWhenServerAppearsLater() async throws {
        // Find a free port, then start the client before the server exists.
        let probe = try await Self.loopbackServer()
        let port = probe.port
        await probe.close()
        var cc = IGTLClient.Configuration()
        cc.initialBackoff = .milliseconds(20)
        cc.maximumBackoff = .milliseconds(200)
        let client = IGTLClient(port: port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await events.next("failed attempt") { if case .connectionFailed = $0 { return true }; return false }
        let server = try await Self.loopbackServer { $0.port = port }
        _ = try await events.next("connected") { if case .connected = $0 { return true }; return false }
        await client.close()
        await server.close()
    }

    @Test func slowClientMissesBroadcastsInsteadOfBuildingLag() async throws {
        let server = try await Self.loopbackServer { $0.maximumPendingBytes = 1 << 20 }
        let events = EventQueue(server.events)
        let socket = try RawSocket(port: server.port)  // connects but never reads
        let connected = try await events.next("connect") { if case .clientConnected = $0 { return true }; return false }
        guard case .clientConnected(let id, _) = connected else { return }
        let image = IGTLMessage(deviceName: "Image_Reference", body: .image(Samples.imageBody(width: 640, height: 480)))
        for _ in 0..<300 {  // 300 x 614 KB, far more than the socket buffers hold
            server.broadcast(image)
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(server.droppedMessages(for: id) > 0)
        _ = socket
        await server.close()
    }
}
