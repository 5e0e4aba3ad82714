import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Testing
@testable import IGTLink

/// Interoperability on 127.0.0.1 with real peers: pyigtl 0.3.4 and the libopenigtlink example
/// programs (their bind() is redirected to loopback by bind-loopback.so).
@Suite(.serialized) struct InteropTests {
    // What Peers/pyigtl_peer.py sends.
    static let pyW = 40, pyH = 30
    static let pyMatrix = Transform3D(rowMajor: [0, -0.3, 0, 12.5, 0.3, 0, 0, -7.25, 0, 0, 2, 100, 0, 0, 0, 1])
    static let pyTransform = Transform3D(rowMajor: [0, -1, 0, 1.5, 1, 0, 0, 2.5, 0, 0, 1, 3.5, 0, 0, 0, 1])

    static func checkPyigtlMessage(_ m: IGTLMessage, version: UInt16) {
        #expect(m.headerVersion == version, "\(m.deviceName)")
        if version == 2 {
            #expect(m.metadata("Origin") == "pyigtl" && m.messageID == 77, "\(m.deviceName) metadata")
        }
        switch m.body {
        case .image(let image):
            #expect(image.size == SIMD3(pyW, pyH, 1) && image.scalarType == .uint16 && image.components == 1)
            #expect(image.imageToReference.maxDifference(to: pyMatrix) < 1e-4, "\(image.imageToReference)")
            #expect(image.endianness == .little && !image.endiannessCorrected)
            #expect(image.coordinateSystem == (m.deviceName.hasSuffix("LPS") ? .lps : .ras))
            guard let (frame, _) = try? image.image() else { Issue.record("no frame"); return }
            var ok = true
            for y in 0..<pyH { for x in 0..<pyW where frame.value(x: x, y: y) != Double(1000 + 7 * x + 11 * y) { ok = false } }
            #expect(ok, "pixel values of \(m.deviceName)")
        case .transform(let t):
            #expect(t.maxDifference(to: pyTransform) < 1e-6)
        case .string(let s):
            #expect(s.text == "hello from pyigtl")
        default:
            Issue.record("unexpected \(m.typeName) from pyigtl")
        }
    }

    @Test(.enabled(if: Peers.pyigtlAvailable, Peers.pyigtlSkip), arguments: [UInt16(1), 2])
    func pyigtlClientSendsToOurServer(version: UInt16) async throws {
        let server = try await IGTLServer.start(configuration: .init(host: "127.0.0.1", port: 0))
        let events = EventQueue(server.events)
        let peer = try PeerProcess(Peers.python!, [Peers.pyigtlScript, "send", String(server.port), String(version)])
        var received: [String: IGTLMessage] = [:]
        var client: IGTLClientID?
        var negotiated: UInt16?
        while received.count < 4 {
            let e = try await events.next("pyigtl messages (got \(received.keys.sorted()))", within: 300)
            switch e {
            case .message(let id, let m):
                received[m.deviceName] = m
                client = id
                if let v = server.headerVersion(of: id) { negotiated = v }
            case .skipped(_, _, let error): Issue.record("pyigtl message skipped: \(error)")
            case .clientDisconnected where received.count < 4: Issue.record("pyigtl disconnected early: \(peer.stderr)")
            default: break
            }
        }
        #expect(Set(received.keys) == ["PyImage", "PyImageLPS", "PyTransform", "PyString"])
        for m in received.values { Self.checkPyigtlMessage(m, version: version) }
        #expect(client != nil)
        #expect(negotiated == version, "header version the server negotiated with pyigtl")
        peer.terminate()
        await server.close()
    }

    @Test(.enabled(if: Peers.pyigtlAvailable, Peers.pyigtlSkip))
    func pyigtlServerExchangesWithOurClient() async throws {
        let port = Loopback.freePort()
        let peer = try PeerProcess(Peers.python!, [Peers.pyigtlScript, "serve", String(port)])
        try await peer.wait(for: "pyigtl server ready") { o, _ in o.contains("READY") }
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = nil
        cc.initialBackoff = .milliseconds(50)
        let client = IGTLClient(host: "127.0.0.1", port: port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await events.next("connected to pyigtl") { if case .connected = $0 { return true }; return false }

        let image = Samples.gradientImage(width: 32, height: 24)
        let toRef = Samples.rotation * Transform3D.scaling(SIMD3(0.25, 0.5, 1))
        try await client.send(IGTLMessage(deviceName: "OurImage", body: .image(IGTLImage(image: image, imageToReference: toRef)),
                                          headerVersion: 2, messageID: 5, metadata: [IGTLMetadataItem(key: "From", value: "Freehand")]))
        try await client.send(IGTLMessage(deviceName: "OurTransform", body: .transform(Samples.rotation)))
        try await client.send(IGTLMessage(deviceName: "OurString", body: .string(IGTLString("hello pyigtl")), headerVersion: 2))

        let (out, _) = try await peer.wait(for: "pyigtl report") { o, _ in o.components(separatedBy: "\n").filter { $0.hasPrefix("{") }.count >= 3 }
        let reports = out.components(separatedBy: "\n").filter { $0.hasPrefix("{") }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let byDevice = Dictionary(uniqueKeysWithValues: reports.map { ($0["device"] as? String ?? "?", $0) })
        // IMAGE: shape (k, j, i), the (size - 1)/2 centre convention gives back our matrix, pixels intact.
        let img = try #require(byDevice["OurImage"])
        #expect(img["header_version"] as? Int == 2)
        #expect((img["metadata"] as? [String: String])?["From"] == "Freehand")
        #expect(img["shape"] as? [Int] == [1, 24, 32])
        let matrix = (img["matrix"] as? [[Double]] ?? []).flatMap { $0 }
        #expect(matrix.count == 16 && Transform3D(rowMajor: matrix).maxDifference(to: toRef) < 1e-4)
        let values = img["values"] as? [Int] ?? []
        #expect(values.count == 32 * 24 && values.enumerated().allSatisfy { i, v in Double(v) == image.value(x: i % 32, y: i / 32) })
        let tr = try #require(byDevice["OurTransform"])
        #expect(tr["header_version"] as? Int == 1)
        let tm = (tr["matrix"] as? [[Double]] ?? []).flatMap { $0 }
        #expect(tm.count == 16 && Transform3D(rowMajor: tm).maxDifference(to: Samples.rotation) < 1e-6)
        #expect(byDevice["OurString"]?["string"] as? String == "hello pyigtl")

        // Then pyigtl sends to us (header version 1).
        var received: [String: IGTLMessage] = [:]
        while received.count < 4 {
            let e = try await events.next("messages from pyigtl server (got \(received.keys.sorted()))", within: 300)
            if case .message(let m) = e { received[m.deviceName] = m }
            if case .skipped(_, let error) = e { Issue.record("skipped: \(error)") }
        }
        for m in received.values { Self.checkPyigtlMessage(m, version: 1) }
        await client.close()
        peer.terminate()
    }

    // MARK: libopenigtlink example programs

    static func examplePeer(_ name: String, _ args: [String]) throws -> PeerProcess {
        try PeerProcess(Peers.examplesBin.appendingPathComponent(name).path, args,
                        environment: ["LD_PRELOAD": Peers.bindLoopback], directory: Peers.examplesBin)
    }

    static func connectedClient(port: Int) async throws -> (IGTLClient, EventQueue<IGTLClient.Event>) {
        var cc = IGTLClient.Configuration()
        cc.idleTimeout = nil
        cc.initialBackoff = .milliseconds(50)
        cc.maximumBackoff = .milliseconds(200)
        let client = IGTLClient(host: "127.0.0.1", port: port, configuration: cc)
        let events = EventQueue(client.events)
        client.start()
        _ = try await events.next("connected to example peer", within: 300) { if case .connected = $0 { return true }; return false }
        return (client, events)
    }

    @Test(.enabled(if: Peers.examplesAvailable, Peers.examplesSkip))
    func trackerServerTransforms() async throws {
        let port = Loopback.freePort()
        let peer = try Self.examplePeer("TrackerServer", [String(port), "50"])
        let (client, events) = try await Self.connectedClient(port: port)
        var count = 0
        while count < 10 {
            let e = try await events.next("TRANSFORM from TrackerServer")
            if case .skipped(_, let error) = e { Issue.record("skipped: \(error)") }
            guard case .message(let m) = e, case .transform(let t) = m.body else { continue }
            #expect(m.deviceName == "Tracker" && m.headerVersion == 1)
            // The rotation part is orthonormal.
            let r = t * Transform3D(rowMajor: t.elements).inverse!
            #expect(r.maxDifference(to: .identity) < 1e-5)
            var rtr = 0.0
            for i in 0..<3 { for j in 0..<3 {
                let dot = (0..<3).reduce(0.0) { $0 + t[$1, i] * t[$1, j] }
                rtr = max(rtr, abs(dot - (i == j ? 1 : 0)))
            } }
            #expect(rtr < 1e-5)
            count += 1
        }
        await client.close()
        peer.terminate()
    }

    @Test(.enabled(if: Peers.examplesAvailable, Peers.examplesSkip))
    func imagerServerImages() async throws {
        let port = Loopback.freePort()
        let peer = try Self.examplePeer("ImagerServer", [String(port), "30", Peers.examplesBin.appendingPathComponent("img").path])
        let (client, events) = try await Self.connectedClient(port: port)
        // ImagerServer cycles through igtlTestImage1...5; on a loaded machine the first image may
        // go out before our client is listening, so the cycle's start is read from the first image.
        let expected = try (1...5).map { [UInt8](try Data(contentsOf: Peers.examplesBin.appendingPathComponent("img/igtlTestImage\($0).raw")).prefix(256 * 256)) }
        var start: Int?
        var index = 0
        while index < 6 {
            let e = try await events.next("IMAGE from ImagerServer")
            if case .skipped(_, let error) = e { Issue.record("skipped: \(error)") }
            guard case .message(let m) = e, case .image(let image) = m.body else { continue }
            #expect(m.deviceName == "ImagerClient")
            #expect(image.size == SIMD3(256, 256, 1) && image.subvolumeSize == image.size && image.scalarType == .uint8)
            #expect(abs(image.spacing.x - 1) < 1e-5 && abs(image.spacing.y - 1) < 1e-5 && abs(image.spacing.z - 5) < 1e-5)
            if start == nil { start = try #require(expected.firstIndex(of: image.pixels), "first image matches none of ImagerServer's files") }
            #expect(image.pixels == expected[(start! + index) % 5], "image \(index)")
            index += 1
        }
        await client.close()
        peer.terminate()
    }

    @Test(.enabled(if: Peers.examplesAvailable, Peers.examplesSkip))
    func receiveServerAcceptsOurMessages() async throws {
        let port = Loopback.freePort()
        let peer = try Self.examplePeer("ReceiveServer", [String(port)])
        let (client, _) = try await Self.connectedClient(port: port)
        let image = Samples.gradientImage(width: 32, height: 24)
        let toRef = Samples.rotation * Transform3D.scaling(SIMD3(0.25, 0.25, 1))
        try await client.send(IGTLMessage(deviceName: "OurTransform", body: .transform(Samples.rotation)))
        try await client.send(IGTLMessage(deviceName: "OurImage", body: .image(IGTLImage(image: image, imageToReference: toRef))))
        try await client.send(IGTLMessage(deviceName: "OurPosition", body: .position(IGTLPosition(position: SIMD3(1, 2, 3), quaternion: SIMD4(0, 0, 0.6, 0.8)))))
        try await client.send(IGTLMessage(deviceName: "OurStatus", body: .status(IGTLStatus(code: IGTLStatus.Code.notReady, subcode: 42, errorName: "Warming", message: "almost"))))
        // ReceiveServer prints a body only when its CRC check passed.
        let (out, err) = try await peer.wait(for: "ReceiveServer output") { o, e in
            e.contains("Status    : almost") && o.contains("10.5") && o.contains("-20.25")
        }
        #expect(err.contains("Receiving TRANSFORM data type."))
        // igtl::PrintMatrix writes the received matrix to stdout.
        #expect(out.contains("10.5") && out.contains("-20.25") && out.contains("30.125"), "\(out)")
        #expect(err.contains("Device Name           : OurImage"))
        #expect(err.contains("Dimensions            : (32, 24, 1)"))
        #expect(err.contains("Spacing               : (0.25, 0.25, 1)"))
        #expect(err.contains("position   = (1, 2, 3)"))
        #expect(err.contains("quaternion = (0, 0, 0.6, 0.8)"))
        #expect(err.contains(" Code      : 13") && err.contains(" SubCode   : 42") && err.contains(" Error Name: Warming"))
        await client.close()
        peer.terminate()
    }
}
