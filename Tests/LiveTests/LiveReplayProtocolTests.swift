import FreehandTestSupport
import Foundation
import Geometry
import IGTLink
import Testing
@testable import Live

/// `replay` speaks like PlusServer: header v1 until the client sends v2, STATUS keep-alives,
/// IMAGE + TRANSFORM with timestamps keeping the recorded spacing.
@Suite struct LiveReplayProtocolTests {
    @Test(.timeLimit(.minutes(10)))
    func negotiatesHeaderVersionAndSendsKeepAlives() async throws {
        let (replayer, replay, port) = try await startReplay(SyntheticReplaySource(width: 32, height: 24, fps: 30)) {
            $0.loop = true
            $0.keepAliveInterval = .milliseconds(100)
        }
        let client = IGTLClient(host: "127.0.0.1", port: port)
        client.start()
        var v1Images = 0, v2Images = 0, keepAlives = 0, transforms = 0
        var imageTimes: [Double] = []
        var sentV2 = false
        for await event in client.events {
            guard case .message(let m) = event else { continue }
            switch m.body {
            case .image:
                if m.headerVersion == 1 { v1Images += 1 } else { v2Images += 1 }
                if m.headerVersion == 1 { imageTimes.append(m.timestamp.secondsSince1970) }
            case .status:
                if m.deviceName.isEmpty && m.headerVersion == 1 { keepAlives += 1 }
            case .transform:
                transforms += 1
            default: break
            }
            if v1Images >= 5 && !sentV2 {
                try await client.send(IGTLMessage(deviceName: "Client", body: .status(.ok), headerVersion: 2))
                sentV2 = true
            }
            if v2Images >= 5 && keepAlives >= 2 { break }
        }
        await client.close()
        replayer.stop()
        _ = try? await withTimeout(300, "the replayer to finish") { try await replay.result.get() }
        #expect(v1Images >= 5 && v2Images >= 5)
        #expect(keepAlives >= 2)
        #expect(transforms >= 10)
        // Image timestamps keep the 30 fps spacing.
        for (a, b) in zip(imageTimes, imageTimes.dropFirst()) { #expect(abs((b - a) - 1.0 / 30) < 1e-3) }
    }
}
