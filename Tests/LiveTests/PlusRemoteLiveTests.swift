import FreehandTestSupport
import Foundation
import Geometry
import IGTLink
import Imaging
import Reconstruction
import Recordings
import Synchronization
import Testing
@testable import Live

/// Plus Remote over the network: `listen` (LiveReceiver, fed by a replayed synthetic sweep)
/// answers the exact command XML 3D Slicer's Plus Remote module sends on its `--serve-volume`
/// port, from a Swift OpenIGTLink client (version 2 COMMAND and legacy STRING CMD_<uid>) and
/// from pyigtl (legacy form, header version 2). Every wait is for a condition, with a deadline.
@Suite struct PlusRemoteLiveTests {
    /// listen's grid, and the ROI grid the commands ask for (the same voxels).
    static let geometry = VolumeGeometry(dimensions: SIMD3(40, 30, 70), spacing: SIMD3(1, 1, 1), origin: SIMD3(-15, -21, -50))
    static let slicerGrid = #"OutputSpacing="1 1 1" OutputOrigin="-15 -21 -50" OutputExtent="0 39 0 29 0 69""#

    /// A replayed synthetic sweep into a receiver that answers Plus Remote on a free port,
    /// writing into a fresh folder.
    struct Live {
        let folder: String
        let replayer: LiveReplayer
        let replay: Task<LiveReplayer.Summary, Error>
        let receiver: LiveReceiver
        let run: Task<LiveReceiver.Summary, Error>
        let volumePort: Int

        static func start() async throws -> Live {
            let folder = try PlusRemoteTests.temporaryFolder()
            let (replayer, replay, port) = try await startReplay(SyntheticReplaySource(width: 64, height: 48, fps: 30)) { $0.loop = true }
            var settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
            settings.fillHoles = false
            var options = LiveReceiver.Options(settings: settings, grid: .fixed(geometry))
            options.port = port
            options.serveVolumePort = 0
            options.serveInterval = 10_000  // no LiveVolume broadcasts: only the remote replies
            options.duration = 280  // a deadline only; the tests stop the receiver themselves
            options.output = folder + "/listen.nrrd"
            options.plusRemote.directory = folder
            let receiver = LiveReceiver(options: options)
            let run = Task { try await receiver.run() }
            let volumePort = try await eventually("the volume server's port") { receiver.volumePort }
            return Live(folder: folder, replayer: replayer, replay: replay, receiver: receiver, run: run, volumePort: volumePort)
        }

        /// Stops the receiver and the replayer, each with a deadline.
        func stop() async throws {
            receiver.stop()
            _ = try await withTimeout(300, "the receiver to finish") { try await run.result.get() }
            replayer.stop()
            _ = try? await withTimeout(300, "the replayer to finish") { try await replay.result.get() }
        }

        /// Stops both without waiting and removes the folder.
        func cleanUp() {
            receiver.stop()
            replayer.stop()
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    /// A viewer client keeping every message it receives.
    final class Viewer: Sendable {
        final class Log: Sendable { let messages = Mutex<[IGTLMessage]>([]) }
        let client: IGTLClient
        let log = Log()
        private let drain: Task<Void, Never>

        init(port: Int) {
            var configuration = IGTLClient.Configuration()
            configuration.idleTimeout = nil  // listen's viewer server sends no keep-alives (as Slicer expects none)
            client = IGTLClient(host: "127.0.0.1", port: port, configuration: configuration)
            client.start()
            let client = self.client, log = self.log
            drain = Task { for await m in client.messages { log.messages.withLock { $0.append(m) } } }
        }

        /// Sends `xml` as a version 2 COMMAND and waits for the RTS_COMMAND with its id.
        func command(_ xml: String, id: UInt32) async throws -> String {
            let name = try PlusRemoteRequest.parse(xml)["Name"] ?? ""
            _ = try await eventually("the viewer to connect", within: 300) { client.isConnected ? true : nil }
            try await client.send(IGTLMessage(deviceName: "command", body: .command(IGTLCommand(commandID: id, name: name, text: xml)), headerVersion: 2))
            return try await eventually("the reply to command \(id)", within: 600) {
                log.messages.withLock { $0.lazy.compactMap { m -> String? in
                    if case .commandReply(let c) = m.body, c.commandID == id { c.text } else { nil }
                }.first }
            }
        }

        /// Sends `xml` as a legacy STRING CMD_<uid> and waits for the STRING ACK_<uid>.
        func legacy(_ xml: String, uid: Int) async throws -> String {
            _ = try await eventually("the viewer to connect", within: 300) { client.isConnected ? true : nil }
            try await client.send(IGTLMessage(deviceName: "CMD_\(uid)", body: .string(IGTLString(xml))))
            return try await eventually("the reply ACK_\(uid)", within: 600) {
                log.messages.withLock { $0.lazy.compactMap { m -> String? in
                    if m.deviceName == "ACK_\(uid)", case .string(let s) = m.body { s.text } else { nil }
                }.first }
            }
        }

        /// The IMAGEs named `device` received so far.
        func images(_ device: String) -> [IGTLImage] {
            log.messages.withLock { $0.compactMap { m in if m.deviceName == device, case .image(let i) = m.body { i } else { nil } } }
        }

        func close() async {
            await client.close()
            drain.cancel()
        }
    }

    /// The sequence Slicer runs: device ids, start reconstruction, start recording (legacy), a
    /// snapshot once frames were compounded, stop recording, stop reconstruction.
    static func slicerSession(_ viewer: Viewer, _ receiver: LiveReceiver) async throws -> [String] {
        var replies: [String] = []
        replies.append(try await viewer.command(#"<Command Name="RequestDeviceIds" DeviceType="VirtualVolumeReconstructor"/>"#, id: 1))
        replies.append(try await viewer.command(#"<Command Name="StartVolumeReconstruction" VolumeReconstructorDeviceId="VolumeReconstructorDevice" "# + slicerGrid
                                                + #" OutputVolFilename="LiveReconstructedVolume.mha" OutputVolDeviceName="liveReconstruction"/>"#, id: 2))
        replies.append(try await viewer.legacy(#"<Command Name="StartRecording" CaptureDeviceId="CaptureDevice" OutputFilename="Recording.igs.mha" EnableCompression="False"/>"#, uid: 3))
        let compounded = receiver.status.framesCompounded
        _ = try await eventually("20 more frames compounded", within: 600) { receiver.status.framesCompounded >= compounded + 20 ? true : nil }
        replies.append(try await viewer.command(#"<Command Name="GetVolumeReconstructionSnapshot" VolumeReconstructorDeviceId="VolumeReconstructorDevice" OutputVolFilename="LiveReconstructedVolume.mha" OutputVolDeviceName="liveReconstruction" ApplyHoleFilling="False"/>"#, id: 4))
        replies.append(try await viewer.legacy(#"<Command Name="StopRecording" CaptureDeviceId="CaptureDevice"/>"#, uid: 5))
        replies.append(try await viewer.command(#"<Command Name="StopVolumeReconstruction" VolumeReconstructorDeviceId="VolumeReconstructorDevice" OutputVolFilename="LiveReconstructedVolume.mha" OutputVolDeviceName="liveReconstruction"/>"#, id: 6))
        replies.append(try await viewer.command(#"<Command Name="Explode"/>"#, id: 7))
        replies.append(try await viewer.command("<Command Name=\"StartRecording\" CaptureDeviceId=\"CaptureDevice\" OutputFilename=\"../../escape.mha\"/>", id: 8))
        return replies
    }

    @Test(.timeLimit(.minutes(15)))
    func slicerDrivesListenWithBothCommandForms() async throws {
        let live = try await Live.start()
        defer { live.cleanUp() }  // also when a step throws
        let (folder, receiver, volumePort) = (live.folder, live.receiver, live.volumePort)
        let viewer = Viewer(port: volumePort)
        let replies = try await Self.slicerSession(viewer, receiver)
        let images = viewer.images("liveReconstruction")
        await viewer.close()
        try await live.stop()

        #expect(replies[0] == #"<CommandReply Name="RequestDeviceIds" Status="SUCCESS" Message="VolumeReconstructorDevice"></CommandReply>"#)
        #expect(replies[1] == #"<CommandReply Name="StartVolumeReconstruction" Status="SUCCESS" Message="StartVolumeReconstruction(VolumeReconstructorDevice) Volume reconstruction from live frames started."></CommandReply>"#)
        #expect(replies[2] == #"<CommandReply Status="SUCCESS" Message="VirtualCapture (CaptureDevice) StartRecording successful." />"#)
        #expect(replies[3] == #"<CommandReply Name="GetVolumeReconstructionSnapshot" Status="SUCCESS" Message="Command succeeded."></CommandReply>"#)
        #expect(replies[4].hasPrefix(#"<CommandReply Status="SUCCESS" Message="VirtualCapture (CaptureDevice) StopRecording Recording "#))
        #expect(replies[5] == #"<CommandReply Name="StopVolumeReconstruction" Status="SUCCESS" Message="Command succeeded."></CommandReply>"#)
        #expect(replies[6].contains(#"Status="FAIL" Error="Unknown command type requested.""#))
        #expect(replies[7].contains(#"Status="FAIL""#) && replies[7].contains("refused"))

        // Snapshot then final volume, on the ROI grid, holding compounded voxels; the file holds the final one.
        try #require(images.count == 2)
        for image in images {
            #expect(image.size == Self.geometry.dimensions)
            #expect(image.imageToReference.maxDifference(to: Transform3D.translation(Self.geometry.origin)) < 1e-5)
        }
        #expect(images[1].pixels.count(where: { $0 != 0 }) >= images[0].pixels.count(where: { $0 != 0 }))
        #expect(images[0].pixels.contains { $0 != 0 })
        guard case .uint8(let file) = try VolumeFile.read(folder + "/LiveReconstructedVolume.mha") else { Issue.record("not uint8"); return }
        #expect(file.voxels == images[1].pixels)
        #expect(file.geometry.origin == Self.geometry.origin)

        // The recording holds the frames counted in the reply, readable, with their poses.
        let count = Int(replies[4].split(separator: " ").first(where: { Int($0) != nil }) ?? "") ?? -1
        let sequence = try SequenceFile.read(folder + "/Recording.igs.mha")
        #expect(sequence.frames.count == count)
        #expect(count > 0)
        #expect(!FileManager.default.fileExists(atPath: folder + "/../escape.mha"))
    }

    /// Sends 500 commands at once (unknown names, garbage XML, huge values, a repeated id, a
    /// legacy command with a non-numeric uid), then a real one: `listen` keeps running, answers
    /// the real one, and the repeated id is not answered twice.
    static func flood(_ viewer: Viewer) async throws -> String {
        _ = try await viewer.command(#"<Command Name="RequestChannelIds"/>"#, id: 1)
        // The same id again at once: ignored (PlusServer remembers a client's last 10 ids).
        try await viewer.client.send(IGTLMessage(deviceName: "command", body: .command(IGTLCommand(commandID: 1, name: "RequestChannelIds", text: "<Command Name=\"RequestChannelIds\"/>")), headerVersion: 2))
        let hostile = [#"<Command Name="Explode"/>"#, "<<<&&&", #"<Command Name="StartVolumeReconstruction" OutputSpacing="nan 1 1"/>"#,
                       #"<Command Name="StartVolumeReconstruction" OutputExtent="0 99999999 0 99999999 0 99999999"/>"#,
                       "<Command Name=\"StartRecording\" CaptureDeviceId=\"CaptureDevice\" OutputFilename=\"" + String(repeating: "../", count: 400) + "x.mha\"/>"]
        for i in 0..<500 {
            let xml = hostile[i % hostile.count]
            try await viewer.client.send(IGTLMessage(deviceName: "command", body: .command(IGTLCommand(commandID: UInt32(100 + i), name: "Explode", text: xml)),
                                                     headerVersion: 2))
        }
        try await viewer.client.send(IGTLMessage(deviceName: "CMD_x", body: .string(IGTLString("<Command Name=\"StopRecording\"/>"))))
        return try await viewer.command(#"<Command Name="RequestDeviceIds" DeviceType="VirtualCapture"/>"#, id: 9999)
    }

    @Test(.timeLimit(.minutes(15)))
    func survivesAFloodOfHostileCommands() async throws {
        let live = try await Live.start()
        defer { live.cleanUp() }  // also when a step throws
        let folder = live.folder
        let viewer = Viewer(port: live.volumePort)
        let last = try await Self.flood(viewer)
        let legacyAnswer = try await eventually("the reply on ACK", within: 600) {
            viewer.log.messages.withLock { $0.first(where: { $0.deviceName == "ACK" }) }
        }
        let answersToID1 = viewer.log.messages.withLock { $0.count(where: { if case .commandReply(let c) = $0.body { c.commandID == 1 } else { false } }) }
        await viewer.close()
        try await live.stop()
        #expect(last == #"<CommandReply Name="RequestDeviceIds" Status="SUCCESS" Message="CaptureDevice"></CommandReply>"#)
        #expect(answersToID1 == 1)
        #expect(legacyAnswer.body == .string(IGTLString(#"<CommandReply Status="FAIL" Message="Command failed. See error message." />"#)))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).allSatisfy { $0 == "listen.nrrd" })
    }

    @Test(.enabled(if: Python.hasPyigtl, Python.pyigtlSkip), .timeLimit(.minutes(15)))
    func pyigtlDrivesListenWithLegacyCommands() async throws {
        let live = try await Live.start()
        defer { live.cleanUp() }  // also when a step throws
        let folder = live.folder
        let printed = try await Self.runPeer(port: live.volumePort)
        try await live.stop()

        let result = try #require(try JSONSerialization.jsonObject(with: Data(printed.utf8)) as? [String: Any], "peer printed: \(printed)")
        #expect(result["ids"] as? String == #"<CommandReply Status="SUCCESS" Message="VolumeReconstructorDevice" />"#)
        #expect(result["start"] as? String == #"<CommandReply Status="SUCCESS" Message="StartVolumeReconstruction(VolumeReconstructorDevice) Volume reconstruction from live frames started." />"#)
        #expect(result["snapshot"] as? String == #"<CommandReply Status="SUCCESS" Message="Command succeeded." />"#)
        #expect(result["stop"] as? String == #"<CommandReply Status="SUCCESS" Message="Command succeeded." />"#)
        #expect(result["unknown"] as? String == #"<CommandReply Status="FAIL" Message="Error attempting to process command." />"#)
        let snapshot = try #require(result["snapshotVolume"] as? [String: Any])
        #expect((snapshot["nonzero"] as? Int ?? 0) > 0)
        #expect(snapshot["shape"] as? [Int] == [70, 30, 40])
        let final = try #require(result["stopVolume"] as? [String: Any])
        guard case .uint8(let file) = try VolumeFile.read(folder + "/PeerVolume.nrrd") else { Issue.record("not uint8"); return }
        #expect(final["sum"] as? Int == file.voxels.reduce(0) { $0 + Int($1) })
    }

    /// Runs the pyigtl client against `port` until it exits (at most 240 s); returns what it printed.
    static func runPeer(port: Int) async throws -> String {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/plus_remote_client.py").path
        let python = Process()
        python.executableURL = URL(fileURLWithPath: try #require(Python.python3))
        python.arguments = [script, String(port)]
        let out = Pipe()
        python.standardOutput = out
        python.standardError = FileHandle.nullDevice
        try python.run()
        defer { if python.isRunning { python.terminate() } }
        _ = try await eventually("the pyigtl client to finish", within: 600) { python.isRunning ? nil : true }
        return String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}
