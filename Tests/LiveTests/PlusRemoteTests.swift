import Foundation
import Geometry
import IGTLink
import Imaging
import Reconstruction
import Recordings
import Testing
@testable import Live

/// Plus Remote without a network: the command XML 3D Slicer's Plus Remote module sends (as
/// vtkSlicerPlusRemoteLogic builds it with vtkXMLUtilities::FlattenElement), PlusServer's reply
/// formats, the remote folder's confinement, and the remote reconstruction and recording
/// checked against an independent `LiveCompounder` and the sequence reader.
@Suite struct PlusRemoteTests {
    static let client = IGTLClientID(rawValue: 1)

    /// The XML Slicer sends for each button (attribute order as Slicer sets them), in a COMMAND
    /// named as the command under device name `command` (OpenIGTLinkIO's SendCommand).
    enum Slicer {
        static let requestReconstructors = #"<Command Name="RequestDeviceIds" DeviceType="VirtualVolumeReconstructor"/>"#
        static let requestCaptures = #"<Command Name="RequestDeviceIds" DeviceType="VirtualCapture"/>"#
        static let startReconstruction = #"<Command Name="StartVolumeReconstruction" VolumeReconstructorDeviceId="VolumeReconstructorDevice" OutputSpacing="1 1 1" OutputOrigin="0 0 0" OutputExtent="0 19 0 9 0 11" OutputVolFilename="LiveReconstructedVolume.mha" OutputVolDeviceName="liveReconstruction"/>"#
        static let snapshot = #"<Command Name="GetVolumeReconstructionSnapshot" VolumeReconstructorDeviceId="VolumeReconstructorDevice" OutputVolFilename="LiveReconstructedVolume.mha" OutputVolDeviceName="liveReconstruction" ApplyHoleFilling="False"/>"#
        static let stopReconstruction = #"<Command Name="StopVolumeReconstruction" VolumeReconstructorDeviceId="VolumeReconstructorDevice" OutputVolFilename="LiveReconstructedVolume.mha" OutputVolDeviceName="liveReconstruction"/>"#
        static let startRecording = #"<Command Name="StartRecording" CaptureDeviceId="CaptureDevice" OutputFilename="Recording.igs.mha" EnableCompression="False"/>"#
        static let stopRecording = #"<Command Name="StopRecording" CaptureDeviceId="CaptureDevice"/>"#
    }

    static func command(_ xml: String, id: UInt32 = 7, name: String? = nil) -> PlusRemoteRequest {
        let n = name ?? (try? PlusRemoteRequest.parse(xml))?["Name"] ?? ""
        let m = IGTLMessage(deviceName: "command", body: .command(IGTLCommand(commandID: id, name: n, text: xml)), headerVersion: 2)
        return PlusRemoteRequest(m, from: client)!
    }

    static func legacy(_ xml: String, device: String = "CMD_17") -> PlusRemoteRequest {
        PlusRemoteRequest(IGTLMessage(deviceName: device, body: .string(IGTLString(xml))), from: client)!
    }

    /// Frame i: a 20x10 image of value 10 + 10 i at z = i mm (1 mm pixels), its ImageToReference
    /// among its transforms (as a live session records it).
    static func frames(_ range: Range<Int>) -> [PairedFrame] {
        range.map { i in
            let pose = Transform3D.translation(SIMD3(0, 0, Double(i)))
            return PairedFrame(image: Image(width: 20, height: 10, bytes: [UInt8](repeating: UInt8(10 + 10 * i), count: 200)),
                               timestamp: Double(i) * 0.1, receivedAt: 0, deviceName: "Image_Reference", imageToReference: pose,
                               transforms: [TransformName(from: "Image", to: "Reference"): TrackedTransform(matrix: pose, status: .ok)])
        }
    }

    static func controller(_ folder: String, protecting: [String] = []) throws -> PlusRemoteController {
        var settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
        settings.fillHoles = false
        return PlusRemoteController(options: PlusRemoteOptions(), folder: try PlusRemoteFolder(path: folder, protecting: protecting),
                                    reconstruction: .init(settings: settings, grid: .automatic(frames: 30, margin: 10)))
    }

    static func temporaryFolder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("plus-remote-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The reply text and status of a job's last message, and its IMAGEs.
    static func run(_ job: PlusRemoteJob) -> (reply: String, images: [IGTLMessage], last: IGTLMessage) {
        let messages = job.run().messages
        let last = messages.last!
        var text = ""
        switch last.body {
        case .string(let s): text = s.text
        case .commandReply(let c): text = c.text
        default: break
        }
        return (text, messages.filter { if case .image = $0.body { true } else { false } }, last)
    }

    @Test func parsesBothCommandForms() throws {
        let v2 = Self.command(Slicer.startRecording, id: 42)
        #expect(v2.form == .command(id: 42, deviceName: "command"))
        #expect(v2.name == "StartRecording")
        #expect(v2.attributes["OutputFilename"] == "Recording.igs.mha")
        #expect(v2.malformed == nil)
        let old = Self.legacy(Slicer.stopRecording, device: "CMD_0017")
        #expect(old.form == .legacy(uid: 17))
        #expect(old.name == "StopRecording")
        #expect(Self.legacy(Slicer.stopRecording, device: "cmd_x").form == .legacy(uid: nil))
        #expect(PlusRemoteRequest(IGTLMessage(deviceName: "Text", body: .string(IGTLString("hi"))), from: Self.client) == nil)
        #expect(Self.legacy("<Command Name=\"X\"", device: "CMD_1").malformed != nil)
        #expect(Self.legacy("<Other Name=\"X\"/>", device: "CMD_1").malformed != nil)
        // Entity expansion ("billion laughs") is refused by the parser, not expanded.
        var laughs = "<!DOCTYPE Command [<!ENTITY l0 \"lollollollol\">"
        for i in 1...9 { laughs += "<!ENTITY l\(i) \"" + String(repeating: "&l\(i - 1);", count: 10) + "\">" }
        laughs += "]><Command Name=\"&l9;\"/>"
        let bomb = Self.legacy(laughs, device: "CMD_2")
        #expect(bomb.malformed != nil || (bomb.attributes["Name"]?.utf8.count ?? 0) < 1_000_000)
    }

    @Test func repliesInPlusServersFormats() {
        let ok = PlusRemoteReply.success("VolumeReconstructorDevice", parameters: [IGTLMetadataItem(key: "VolumeReconstructorDevice", value: "VolumeReconstructorDevice")])
        let legacy = ok.message(answering: Self.legacy(Slicer.requestReconstructors))
        #expect(legacy.deviceName == "ACK_17")
        #expect(legacy.body == .string(IGTLString(#"<CommandReply Status="SUCCESS" Message="VolumeReconstructorDevice" />"#)))
        let v2 = PlusRemoteReply.failure("a \"quoted\" <reason>").message(answering: Self.command(Slicer.stopRecording, id: 9))
        #expect(v2.deviceName == "command")
        #expect(v2.headerVersion == 2)
        guard case .commandReply(let c) = v2.body else { Issue.record("not an RTS_COMMAND"); return }
        #expect(c.commandID == 9)
        #expect(c.name == "StopRecording")
        #expect(c.text == #"<CommandReply Name="StopRecording" Status="FAIL" Error="a &quot;quoted&quot; &lt;reason&gt;" Message="Command failed. See error message."></CommandReply>"#)
        #expect(v2.metadata("Status") == "FAIL")
        #expect(v2.metadata("Error") == "a \"quoted\" <reason>")
        #expect(v2.metadata("ErrorMessage") == "a \"quoted\" <reason>")
        #expect(v2.metadata("Message") == "Command failed. See error message.")
        let parsed = try? PlusRemoteRequest.parse(c.text.replacingOccurrences(of: "CommandReply", with: "Command"))
        #expect(parsed?["Error"] == "a \"quoted\" <reason>")
    }

    @Test func confinesFileNamesToTheRemoteFolder() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let input = dir + "/PlusDeviceSet_Server.mha"
        FileManager.default.createFile(atPath: input, contents: Data("x".utf8))
        try FileManager.default.createDirectory(atPath: dir + "/sub", withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir + "/out", withDestinationPath: "/tmp")
        let folder = try PlusRemoteFolder(path: dir, protecting: [input])
        let types = [".nrrd", ".mha"]
        #expect(try folder.resolve("vol.nrrd", attribute: "OutputVolFilename", fileTypes: types) == folder.path + "/vol.nrrd")
        #expect(try folder.resolve("./sub/vol.mha", attribute: "OutputVolFilename", fileTypes: types) == folder.path + "/sub/vol.mha")
        for hostile in ["../vol.nrrd", "sub/../../vol.nrrd", "/tmp/vol.nrrd", "~/vol.nrrd", "C:/vol.nrrd", "sub\\vol.nrrd",
                        "vol.txt", ".nrrd", "", "missing/vol.nrrd", "out/vol.nrrd", "PlusDeviceSet_Server.mha", "sub", "a\u{0}b.nrrd",
                        String(repeating: "a", count: 2000) + ".nrrd"] {
            #expect(throws: PlusRemoteError.self, "\(hostile.prefix(40))") {
                try folder.resolve(hostile, attribute: "OutputVolFilename", fileTypes: types)
            }
        }
    }

    @Test func answersDeviceQueriesAndUnknownCommands() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Self.controller(dir)
        #expect(Self.run(c.handle(Self.command(Slicer.requestReconstructors))).reply
                == #"<CommandReply Name="RequestDeviceIds" Status="SUCCESS" Message="VolumeReconstructorDevice"></CommandReply>"#)
        #expect(Self.run(c.handle(Self.legacy(Slicer.requestCaptures))).reply == #"<CommandReply Status="SUCCESS" Message="CaptureDevice" />"#)
        let unknown = Self.run(c.handle(Self.command(#"<Command Name="Explode"/>"#)))
        #expect(unknown.reply == #"<CommandReply Name="Explode" Status="FAIL" Error="Unknown command type requested." Message="Error attempting to process command."></CommandReply>"#)
        #expect(Self.run(c.handle(Self.legacy(#"<Command Name="Explode"/>"#))).reply
                == #"<CommandReply Status="FAIL" Message="Error attempting to process command." />"#)
        let garbage = Self.run(c.handle(Self.command("\u{1}<<&&>>", name: "StartRecording")))
        #expect(garbage.reply.contains(#"Status="FAIL""#))
        let badUID = Self.run(c.handle(Self.legacy(Slicer.stopRecording, device: "CMD_abc")))
        #expect(badUID.last.deviceName == "ACK")
        #expect(badUID.reply.contains(#"Status="FAIL""#))
    }

    @Test func refusesHostileAttributeValues() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Self.controller(dir)
        let hostile = [
            #"<Command Name="StartVolumeReconstruction" OutputSpacing="nan nan nan"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputSpacing="0 0 0"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputSpacing="1e309 1 1"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputSpacing="1 1"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputOrigin="inf 0 0"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputExtent="0 1000000000000 0 1 0 1"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputExtent="0 60000 0 60000 0 60000"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputExtent="5 1 0 1 0 1"/>"#,
            #"<Command Name="StartVolumeReconstruction" OutputExtent="0.5 1 0 1 0 1"/>"#,
            #"<Command Name="StartVolumeReconstruction" VolumeReconstructorDeviceId="Elsewhere"/>"#,
            #"<Command Name="GetVolumeReconstructionSnapshot"/>"#,
            #"<Command Name="StopVolumeReconstruction"/>"#,
            #"<Command Name="StartRecording" CaptureDeviceId="CaptureDevice" OutputFilename="../escape.igs.mha"/>"#,
            #"<Command Name="StartRecording" CaptureDeviceId="CaptureDevice" OutputFilename="/etc/passwd.mha"/>"#,
            #"<Command Name="StartRecording" CaptureDeviceId="CaptureDevice" EnableCompression="perhaps"/>"#,
            #"<Command Name="StartRecording"/>"#,
            #"<Command Name="StopRecording" CaptureDeviceId="CaptureDevice"/>"#,
            #"<Command Name="RequestDeviceChannelIds" DeviceId="Nope"/>"#,
        ]
        for xml in hostile {
            let reply = Self.run(c.handle(Self.command(xml))).reply
            #expect(reply.contains(#"Status="FAIL""#), "\(xml) -> \(reply)")
        }
        #expect(!c.isReconstructing && !c.isRecording)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// Start on Slicer's ROI grid, frames 0..<4, suspend over 4..<6, resume over 6..<10, snapshot,
    /// stop: the snapshot, the file and the IMAGE hold exactly what an independent compounder
    /// makes of frames 0..<4 and 6..<10 on that grid.
    @Test func reconstructsTheFramesBetweenStartAndStop() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Self.controller(dir)
        #expect(Self.run(c.handle(Self.command(Slicer.startReconstruction))).reply.contains(#"Status="SUCCESS""#))
        c.observe(Self.frames(0..<4))
        #expect(Self.run(c.handle(Self.command(#"<Command Name="SuspendVolumeReconstruction"/>"#))).reply.contains("SUCCESS"))
        c.observe(Self.frames(4..<6))
        #expect(Self.run(c.handle(Self.command(#"<Command Name="ResumeVolumeReconstruction"/>"#))).reply.contains("SUCCESS"))
        c.observe(Self.frames(6..<10))

        let geometry = VolumeGeometry(dimensions: SIMD3(20, 10, 12), spacing: SIMD3(1, 1, 1), origin: .zero)
        var settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
        settings.fillHoles = false
        let reference = try LiveCompounder(settings: settings, grid: .fixed(geometry))
        try reference.add(Self.frames(0..<4) + Self.frames(6..<10))
        guard case .uint8(let expected)? = reference.snapshot() else { Issue.record("no reference volume"); return }

        let snapshot = Self.run(c.handle(Self.command(Slicer.snapshot)))
        #expect(snapshot.reply == #"<CommandReply Name="GetVolumeReconstructionSnapshot" Status="SUCCESS" Message="Command succeeded."></CommandReply>"#)
        #expect(snapshot.images.count == 1)
        let stop = Self.run(c.handle(Self.command(Slicer.stopReconstruction)))
        #expect(stop.reply.contains(#"Status="SUCCESS""#))
        #expect(!c.isReconstructing)
        guard case .image(let image)? = stop.images.first?.body else { Issue.record("no IMAGE"); return }
        #expect(stop.images.first?.deviceName == "liveReconstruction")
        #expect(image.size == geometry.dimensions)
        #expect(image.pixels == expected.voxels)
        #expect(image.imageToReference.maxDifference(to: .identity) < 1e-6)
        guard case .uint8(let written) = try VolumeFile.read(dir + "/LiveReconstructedVolume.mha") else { Issue.record("not uint8"); return }
        #expect(written.voxels == expected.voxels)
        #expect(written.geometry.dimensions == geometry.dimensions)
        #expect(expected.voxels.contains(10 + 10 * 9) && !expected.voxels.contains(10 + 10 * 5))
        // Stopped: a second stop fails as in PlusServer.
        #expect(Self.run(c.handle(Self.command(Slicer.stopReconstruction))).reply.contains("already stopped"))
    }

    /// The capture (shared with `freehand record`) streams the live files into `.igs.mha`,
    /// `.igs.nrrd` and `.seq.nrrd` losslessly: every pixel, pose, status and timestamp reads back.
    @Test(arguments: ["capture.igs.mha", "capture.igs.nrrd", "capture.seq.nrrd"])
    func captureConvertsLosslessly(name: String) throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let frames = (0..<4).map { i -> PairedFrame in
            let pose = Transform3D(linear: [0.5, 0, 0.1, 0, 0.4, 0, -0.1, 0, 0.5], translation: SIMD3(1.25, -2, Double(i)))
            return PairedFrame(image: Image(width: 7, height: 5, bytes: (0..<35).map { UInt8(($0 * 7 + i * 13) % 256) }),
                               timestamp: 100 + Double(i) * 0.04, receivedAt: 0, deviceName: "Image_Reference",
                               imageToReference: i == 2 ? nil : pose,
                               transforms: [TransformName(from: "Image", to: "Reference"): TrackedTransform(matrix: pose, status: i == 2 ? .invalid : .ok)])
        }
        let capture = try SequenceCapture(output: dir + "/" + name)
        capture.append(frames)
        #expect(try capture.finish() == dir + "/" + name)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == [name])
        let read = try SequenceFile.read(dir + "/" + name)
        try #require(read.frames.count == 4)
        for (i, f) in read.frames.enumerated() {
            #expect(f.image.bytes == frames[i].image.bytes && f.image.width == 7 && f.image.height == 5, "frame \(i)")
            #expect(abs(f.timestamp - frames[i].timestamp) < 1e-9, "frame \(i)")
            let t = try #require(f.transforms[TransformName(from: "Image", to: "Reference")])
            #expect(t.status == (i == 2 ? .invalid : .ok))
            #expect(t.matrix.maxDifference(to: frames[i].transforms.values.first!.matrix) < 1e-9)
        }
    }

    /// StartRecording / StopRecording write every frame delivered in between, readable back.
    @Test func recordsTheFramesBetweenStartAndStop() throws {
        let dir = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let c = try Self.controller(dir)
        c.observe(Self.frames(0..<2))
        #expect(Self.run(c.handle(Self.legacy(Slicer.startRecording))).reply
                == #"<CommandReply Status="SUCCESS" Message="VirtualCapture (CaptureDevice) StartRecording successful." />"#)
        #expect(Self.run(c.handle(Self.command(Slicer.startRecording))).reply.contains("already in progress"))
        c.observe(Self.frames(2..<7))
        let stop = Self.run(c.handle(Self.legacy(Slicer.stopRecording, device: "CMD_18")))
        let path = (try PlusRemoteFolder(path: dir)).path + "/Recording.igs.mha"
        #expect(stop.reply == "<CommandReply Status=\"SUCCESS\" Message=\"VirtualCapture (CaptureDevice) StopRecording Recording 5 frames successful to file \(path)\" />")
        #expect(stop.last.deviceName == "ACK_18")
        let sequence = try SequenceFile.read(path)
        #expect(sequence.frames.count == 5)
        #expect(sequence.frames.map { $0.image.bytes[0] } == [30, 40, 50, 60, 70])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["Recording.igs.mha"])
        #expect(!c.isRecording)

        // Slicer's scout scan then reconstructs the recording (offline pipeline, automatic
        // extent): the same voxels an independent compounder makes of frames 2..<7 on that grid.
        let scout = Self.run(c.handle(Self.command(#"<Command Name="ReconstructVolume" VolumeReconstructorDeviceId="VolumeReconstructorDevice" InputSeqFilename="Recording.igs.mha" OutputSpacing="1 1 1" OutputVolFilename="ScoutScan.mha" OutputVolDeviceName="ScoutScan"/>"#)))
        #expect(scout.reply == #"<CommandReply Name="ReconstructVolume" Status="SUCCESS" Message="Command succeeded."></CommandReply>"#)
        guard case .image(let image)? = scout.images.first?.body,
              case .uint8(let written) = try VolumeFile.read(dir + "/ScoutScan.mha") else { Issue.record("no scout volume"); return }
        var settings = ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1))
        settings.fillHoles = false
        let reference = try LiveCompounder(settings: settings, grid: .fixed(written.geometry))
        try reference.add(Self.frames(2..<7))
        guard case .uint8(let expected)? = reference.snapshot() else { Issue.record("no reference volume"); return }
        #expect(written.geometry.dimensions == SIMD3(20, 10, 5))
        #expect(written.voxels == expected.voxels)
        #expect(image.pixels == expected.voxels)
        for hostile in [#"InputSeqFilename="../Recording.igs.mha""#, #"InputSeqFilename="Missing.igs.mha""#, #"InputSeqFilename="""#] {
            let reply = Self.run(c.handle(Self.command("<Command Name=\"ReconstructVolume\" \(hostile) OutputSpacing=\"1 1 1\"/>"))).reply
            #expect(reply.contains(#"Status="FAIL""#), "\(hostile)")
        }
        // OutputVolFilename may name neither the input nor a running recording's live file.
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        let scan = #"<Command Name="ReconstructVolume" InputSeqFilename="Recording.igs.mha" OutputSpacing="1 1 1" OutputVolFilename="OUT"/>"#
        let overwrite = Self.run(c.handle(Self.command(scan.replacingOccurrences(of: "OUT", with: "Recording.igs.mha")))).reply
        #expect(overwrite.contains(#"Status="FAIL""#) && overwrite.contains("OutputVolFilename"), "\(overwrite)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == original)
        #expect(Self.run(c.handle(Self.command(Slicer.startRecording.replacingOccurrences(of: "Recording.igs", with: "rec.igs")))).reply.contains("SUCCESS"))
        let live = Self.run(c.handle(Self.command(scan.replacingOccurrences(of: "OUT", with: "rec.mhd")))).reply
        #expect(live.contains(#"Status="FAIL""#) && live.contains("OutputVolFilename"), "\(live)")
    }
}
