import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Live
import Recordings
import Testing
@testable import Calibration

/// Live calibration before any calibration exists: `freehand replay` of a recording whose
/// configuration has no ImageToProbe streams `Image_Image` + tracker TRANSFORMs (as PlusServer
/// does), and the probe step calibrates from it.
@Suite struct LiveUncalibratedStreamTests {
    static let config = "ConfigFiles/PlusDeviceSet_fCal_Sim_SpatialCalibration_2.0.xml"
    static let recording = "TestImages/fCal_Test_Calibration_3NWires_fCal2.0.igs.mha"

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func replayWithoutImageToProbeSendsRawImages() throws {
        let device = try DeviceSetConfiguration.load(PlusData.path(Self.config))
        #expect(ImageToProbeSpacing(configuration: device) == nil)
        var source = try RecordingReplaySource(path: PlusData.path(Self.recording), calibration: device.transformRepository())
        var images = 0, transforms = 0
        while let e = try source.next(), images < 5 {
            switch e {
            case .image(_, let name, _, let matrix):
                images += 1
                #expect(name == "Image_Image")
                #expect(matrix == .identity)
            case .transform: transforms += 1
            }
        }
        #expect(source.uncalibrated == true)
        #expect(images == 5 && transforms >= 15)
    }

    /// Images only (no tracker): while waiting, the source's status lines say what it receives and what it waits for.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason), .timeLimit(.minutes(10)))
    func receptionIsReportedWhileWaiting() async throws {
        let frames = try SequenceFile.read(PlusData.path(Self.recording)).frames.prefix(30).map { f -> TrackedFrame in
            var g = f
            g.transforms = [:]
            return g
        }
        var options = LiveReplayer.Options()
        options.port = 0
        options.rate = 1
        options.loop = true
        let replayer = LiveReplayer(options: options)
        let replay = Task { try await replayer.run(RawImageReplaySource(frames: Array(frames))) }
        defer { replayer.stop() }
        var port: Int?
        for _ in 0..<500 where port == nil { port = replayer.port; try await Task.sleep(for: .milliseconds(10)) }
        let source = LiveFrameSource(request: LiveRequest(content: .images(poseFrame: "Probe")), host: "127.0.0.1", port: try #require(port))
        // Frames come (forced out without poses after the pairing wait) or, while none comes, status lines.
        let (lines, reception): ([String], String) = try await withCheckedThrowingContinuation { c in
            Thread {
                var seen: [String] = []
                let clock = ContinuousClock(), start = clock.now
                do {
                    // Until the IMAGE stream is known (a generous deadline: a loaded machine may take
                    // long to deliver the first frames).
                    while !source.reception.contains("IMAGE Image_Image"), clock.now - start < .seconds(300),
                          try source.next(statusEvery: 1, { seen.append($0) }) != nil {}
                    let reception = source.reception
                    source.close()
                    c.resume(returning: (seen, reception))
                } catch {
                    source.close()
                    c.resume(throwing: error)
                }
            }.start()
        }
        replayer.stop()
        _ = try? await replay.result.get()
        // Before the first image arrives (slow on a loaded machine) the lines say they wait for IMAGE
        // messages; once it has, what is still missing is the tracker.
        for text in lines + [reception] {
            #expect(text.contains("waiting for") || text.contains("nothing received yet") || text.contains("not connected"), "\(text)")
        }
        #expect(!reception.contains("waiting for IMAGE"), "\(reception)")
        #expect(reception.contains("IMAGE Image_Image"), "\(reception)")
        #expect(reception.contains("waiting for tracker TRANSFORMs giving ProbeToReference"), "\(reception)")
    }

    /// `freehand replay` (configuration without ImageToProbe) and `freehand calibrate --step probe
    /// --host` as a user runs them: the live result is within 0.3 mm of the offline one at the image corners.
    @Test(.enabled(if: PlusData.isAvailable && FreehandExecutable.isAvailable, "needs the PLUS data and a built freehand executable"),
          .timeLimit(.minutes(15)))
    func calibrateProbeFromReplayedUncalibratedStream() throws {
        let dir = PlusData.temporaryDirectory("calibrate-live-probe")
        let out = dir.appendingPathComponent("Probe.xml").path
        try? FileManager.default.removeItem(atPath: out)
        let port = Loopback.freePort()
        // Paced (the recorded speed), so a loaded machine drops nothing and the live input is the file's.
        let replay = try LiveCalibrationTests.startReplayProcess(PlusData.path(Self.recording), port: port,
                                                                 ["--rate", "1", "--config", PlusData.path(Self.config)], asFastAsPossible: false)
        defer { if replay.isRunning { replay.terminate() } }
        let r = try FreehandExecutable.run(["calibrate", "--step", "probe", "--host", "127.0.0.1", "--port", "\(port)", "--yes",
                                            "--config", PlusData.path(Self.config), "--output", out])
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.contains("Result: PASS"), "\(r.output)")
        // The comparison needs the file's frames, all of them: a machine too loaded to receive
        // them (the wizard warns "... messages dropped") gives a different input.
        guard !r.output.contains("messages dropped") else {
            print("calibrate --step probe --host: messages were dropped on this loaded machine; live vs offline comparison skipped")
            return
        }
        let live = try #require(try DeviceSetConfiguration.load(out).coordinateDefinitionDetails.first { $0.name.description == "ImageToProbe" }).matrix

        let device = try DeviceSetConfiguration.load(PlusData.path(Self.config))
        let (step, base) = try ErrorCauseTests.probeStep()
        var offline = step
        offline.beginSource(0, of: 1)
        for frame in try SequenceFile.read(PlusData.path(Self.recording)).frames { offline.consume(frame, base: base) }
        _ = device
        let reference = try #require(try offline.finish().transforms.first).matrix
        var worst = 0.0
        for (x, y) in [(0.0, 0.0), (820, 0), (0, 616), (820, 616)] {
            let d = live.apply(SIMD3(x, y, 0)) - reference.apply(SIMD3(x, y, 0))
            worst = max(worst, d.length)
        }
        print("calibrate --step probe --host vs offline: ImageToProbe corners differ by at most \(worst) mm")
        #expect(worst < 0.3)
    }
}
