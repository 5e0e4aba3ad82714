import Foundation
import FreehandTestSupport
import Geometry
import Live
import Recordings
import Testing
@testable import Calibration

/// The wizard's steps fed live over loopback OpenIGTLink (`LiveReplayer` streaming a recording
/// as PlusServer would) give the results they give offline from the same recording; the only
/// difference is float32 TRANSFORM matrices on the wire.
@Suite struct LiveCalibrationTests {
    /// Runs `step` on every frame of `source` (blocking reads, on a thread of its own, outside the
    /// cooperative pool the receiving tasks run on); returns the step and the frames consumed.
    static func consume<S: CalibrationStep>(_ step: S, from source: LiveFrameSource, base: TransformRepository) async throws -> (S, Int) {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<(S, Int), Error>) in
            Thread {
                var step = step, n = 0
                do {
                    while let frame = try source.next() {
                        step.consume(frame, base: base)
                        n += 1
                        if step.isComplete { break }
                    }
                    source.close()
                    c.resume(returning: (step, n))
                } catch {
                    source.close()
                    c.resume(throwing: error)
                }
            }.start()
        }
    }

    /// Streams `path` (tracker transforms only: the recording's frames have no ImageToReference)
    /// on a free 127.0.0.1 port, as fast as the client takes it; returns the replay task and port.
    static func replay(_ path: String) async throws -> (Task<LiveReplayer.Summary, Error>, Int) {
        var options = LiveReplayer.Options()
        options.port = 0
        options.asFastAsPossible = true
        let replayer = LiveReplayer(options: options)
        let source = try RecordingReplaySource(path: path, calibration: TransformRepository())
        let task = Task { try await replayer.run(source) }
        do {
            return (task, try await eventually("the replayer's port") { replayer.port })
        } catch {
            task.cancel()
            throw error
        }
    }

    static func tip(_ outcome: CalibrationOutcome) throws -> SIMD3<Double> {
        try #require(outcome.transforms.first { $0.name.description == "StylusTipToStylus" }).matrix.translation
    }

    static func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }

    /// PLUS's stylus-calibration poses (FakeTracker, 5 % outliers) written as a recording,
    /// replayed, and calibrated from tracker-only live frames.
    @Test(.timeLimit(.minutes(10)))
    func pivotLiveMatchesOffline() async throws {
        let dir = PlusData.temporaryDirectory("calibrate-live-pivot")
        let path = dir.appendingPathComponent("PivotFakeTracker.igs.mha").path
        try SequenceFile.write(TrackedSequence(frames: PlusFakeTracker.frames(count: 200).frames), to: path)

        var offline = PivotStep()
        for frame in try SequenceFile.read(path).frames { offline.consume(frame, base: TransformRepository()) }
        let offlineTip = try Self.tip(offline.finish())

        let (replay, port) = try await Self.replay(path)
        let source = LiveFrameSource(options: .init(host: "127.0.0.1", port: port, content: .tracker))
        let (live, n) = try await Self.consume(PivotStep(), from: source, base: TransformRepository())
        let sent = try await replay.result.get()
        let liveOutcome = try live.finish()
        let liveTip = try Self.tip(liveOutcome)
        let d = Self.distance(liveTip, offlineTip)
        print("pivot live vs offline: \(n) frames (\(sent.transformsSent) TRANSFORMs sent), tip \(liveTip) vs \(offlineTip): \(d) mm; \(liveOutcome.lines[1])")
        // Every one of the 200 poses is used. A sender stalled between the two tools of a frame
        // (this replayer shares the loaded test process) yields a partial frame first, which the
        // step skips, then the complete one.
        #expect(live.calibration.poses.count == 200, "\(n) frames")
        #expect(live.collectedEnough)
        #expect(source.statistics.framesDropped == 0 && source.statistics.messagesDropped == 0)
        #expect(d < 0.05)
    }

    /// PLUS's landmark recording replayed: all eight landmarks are found live and the
    /// PhantomToReference registration matches the offline one.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason), .timeLimit(.minutes(10)))
    func landmarksLiveMatchOffline() async throws {
        let device = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_RecordPhantomLandmarks.xml"))
        let base = device.transformRepository()
        let path = PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha")
        var offline = LandmarkStep(registration: try PhantomLandmarkRegistration(configuration: device))
        var reader = try SequenceReader(path: path)
        while let frame = try reader.next(), !offline.isComplete { offline.consume(frame, base: base) }
        let offlineResult = try #require(offline.finish().transforms.first)

        let (replay, port) = try await Self.replay(path)
        var options = LiveFrameSource.Options(host: "127.0.0.1", port: port, content: .tracker)
        // The replay sends as fast as the socket takes it (1700 TRANSFORMs in a fraction of a
        // second): queue them all, so a loaded machine drops none and the input equals the file's.
        options.queueCapacity = 4096
        let source = LiveFrameSource(options: options)
        let (live, n) = try await Self.consume(LandmarkStep(registration: try PhantomLandmarkRegistration(configuration: device)), from: source, base: base)
        _ = try? await replay.result.get()
        let liveResult = try #require(live.finish().transforms.first)
        #expect(liveResult.name == offlineResult.name)
        let d = Self.distance(liveResult.matrix.translation, offlineResult.matrix.translation)
        var rotation = 0.0
        for r in 0..<3 { for c in 0..<3 { rotation = max(rotation, abs(liveResult.matrix[r, c] - offlineResult.matrix[r, c])) } }
        // A point 100 mm from the origin moves by at most d + 100 * 3 * rotation (mm).
        #expect(source.statistics.messagesDropped == 0 && source.statistics.framesDropped == 0)
        print("landmarks live vs offline: \(n) frames (\(source.statistics.messagesDropped) messages dropped), \(live.progress); PhantomToReference translation differs by \(d) mm, rotation entries by \(rotation)")
        #expect(live.detector.landmarks.count == 8)
        #expect(d < 0.1)
        #expect(d + 300 * rotation < 0.1)
    }

    @Test(.timeLimit(.minutes(10)))
    func unreachableServerIsNamed() async throws {
        var options = LiveFrameSource.Options(host: "127.0.0.1", port: Loopback.freePort())
        options.connectTimeout = 0.5
        let source = LiveFrameSource(options: options)
        do {
            _ = try await Self.consume(PivotStep(), from: source, base: TransformRepository())
            Issue.record("expected a connection error")
        } catch {
            #expect("\(error)".contains("cannot connect to 127.0.0.1:"), "\(error)")
        }
    }
}

extension LiveCalibrationTests {
    /// `freehand replay` in the background and `freehand calibrate --host --port` as a user runs them.
    /// Starts `freehand replay recording --port port extra...` and waits until it listens
    /// (connecting to find out would start its stream).
    static func startReplayProcess(_ recording: String, port: Int, _ extra: [String] = [], asFastAsPossible: Bool = true) throws -> Process {
        let replay = Process()
        replay.executableURL = URL(fileURLWithPath: FreehandExecutable.path)
        replay.arguments = ["replay", recording, "--port", "\(port)"] + (asFastAsPossible ? ["--as-fast-as-possible"] : []) + extra
        let notices = Pipe()
        replay.standardError = notices
        replay.standardOutput = FileHandle.nullDevice
        try replay.run()
        var seen = ""
        while !seen.contains("serving on") {
            let chunk = notices.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("serving on 127.0.0.1:\(port)"), "\(seen)")
        return replay
    }

    static func pivotRecording(_ dir: URL) throws -> String {
        let recording = dir.appendingPathComponent("PivotFakeTracker.igs.mha").path
        try SequenceFile.write(TrackedSequence(frames: PlusFakeTracker.frames(count: 200).frames), to: recording)
        return recording
    }

    @Test(.enabled(if: FreehandExecutable.isAvailable, "needs a built freehand executable"), .timeLimit(.minutes(10)))
    func calibrateCommandLiveFromReplay() async throws {
        let dir = PlusData.temporaryDirectory("calibrate-live-cli")
        let recording = try Self.pivotRecording(dir)
        let out = dir.appendingPathComponent("Stylus.xml").path
        try? FileManager.default.removeItem(atPath: out)
        let port = Loopback.freePort()
        let replay = try Self.startReplayProcess(recording, port: port)
        defer { if replay.isRunning { replay.terminate() } }

        let r = try await offPool { try FreehandExecutable.run(["calibrate", "--step", "pivot", "--host", "127.0.0.1", "--port", "\(port)", "--yes", "--output", out]) }
        #expect(r.status == 0, "\(r.output)")
        // The step ends at 200 tracked poses; an untracked frame on the way counts as a frame.
        #expect(r.output.contains("127.0.0.1:\(port): ") && r.output.contains("frames (the step has enough); poses 200"), "\(r.output)")
        #expect(r.output.contains("Result: PASS"), "\(r.output)")
        let saved = try DeviceSetConfiguration.load(out)
        let tip = try #require(saved.coordinateDefinitionDetails.first { $0.name.description == "StylusTipToStylus" })
        var offline = PivotStep()
        for frame in try SequenceFile.read(recording).frames { offline.consume(frame, base: TransformRepository()) }
        #expect(Self.distance(tip.matrix.translation, try Self.tip(offline.finish())) < 0.05)

        let misuse = try await offPool { try FreehandExecutable.run(["calibrate", "--step", "pivot", "--host", "127.0.0.1", "--recording", recording]) }
        #expect(misuse.status != 0 && misuse.output.contains("exclusive"), "\(misuse.output)")
    }

    /// The interactive wizard live: Enter starts, redo collects again from the (looping) server,
    /// accept saves.
    @Test(.enabled(if: FreehandExecutable.isAvailable, "needs a built freehand executable"), .timeLimit(.minutes(10)))
    func calibrateCommandLiveRedoThenAccept() async throws {
        let dir = PlusData.temporaryDirectory("calibrate-live-redo")
        let recording = try Self.pivotRecording(dir)
        let out = dir.appendingPathComponent("Stylus.xml").path
        let port = Loopback.freePort()
        let replay = try Self.startReplayProcess(recording, port: port, ["--loop"])
        defer { if replay.isRunning { replay.terminate() } }
        let r = try await offPool { try FreehandExecutable.run(["calibrate", "--step", "pivot", "--port", "\(port)", "--output", out], input: "\nr\na\n") }
        #expect(r.status == 0, "\(r.output)")
        // Each collection ends at 200 tracked poses (a frame may arrive untracked on the way).
        #expect(r.output.components(separatedBy: "frames (the step has enough); poses 200").count == 3, "\(r.output)")
        #expect(r.output.components(separatedBy: "Result: PASS").count == 3, "\(r.output)")
        #expect(try DeviceSetConfiguration.load(out).coordinateDefinitionDetails.contains { $0.name.description == "StylusTipToStylus" })
    }
}

/// Streams a recording as PlusServer does with `<Image Name="Image" EmbeddedTransformToFrame="Image"/>`:
/// each frame's valid tracker TRANSFORMs, then the raw image as IMAGE `Image_Image` (identity matrix).
struct RawImageReplaySource: ReplaySource {
    private var frames: [TrackedFrame]
    private var index = 0
    private var queued: [ReplayEvent] = []

    init(frames: [TrackedFrame]) { self.frames = frames }

    mutating func next() throws -> ReplayEvent? {
        while queued.isEmpty {
            guard index < frames.count else { return nil }
            let frame = frames[index]
            let t = frame.timestamp - frames[0].timestamp
            index += 1
            for (name, transform) in frame.transforms.sorted(by: { $0.key.description < $1.key.description }) where transform.status == .ok {
                queued.append(.transform(time: t, name: name, matrix: transform.matrix))
            }
            queued.append(.image(time: t, device: "Image_Image", image: frame.image, matrix: .identity))
        }
        return queued.removeFirst()
    }

    mutating func rewind() throws -> Double {
        index = 0
        return (frames.last?.timestamp ?? 0) - (frames.first?.timestamp ?? 0) + 0.1
    }
}

extension LiveCalibrationTests {
    /// PLUS's fCal 2.0 N-wire calibration sweep streamed as raw images + tracker transforms: the
    /// probe step paired live (images with ProbeToTracker / ReferenceToTracker at their time) gives
    /// the ImageToProbe the offline step gives from the recording (every fourth frame validates).
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason), .timeLimit(.minutes(15)))
    func probeCalibrationLiveMatchesOffline() async throws {
        let device = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_SpatialCalibration_2.0.xml"))
        let base = device.transformRepository()
        let phantom = try NWirePhantom(configuration: device.root)
        func step() throws -> ProbeStep {
            ProbeStep(phantom: phantom, segmenter: try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: device.root), phantom: phantom))
        }
        let frames = try SequenceFile.read(PlusData.path("TestImages/fCal_Test_Calibration_3NWires_fCal2.0.igs.mha")).frames
        // Minutes of segmentation on a loaded machine: off the cooperative pool, which the
        // replayer and receiver below (and other tests' servers) need.
        var start = try step()
        start.beginSource(0, of: 1)
        let (offline, offlineOutcome) = try await offPool { [start] in
            var step = start
            for frame in frames { step.consume(frame, base: base) }
            let outcome = try step.finish()
            return (step, outcome)
        }

        var options = LiveReplayer.Options()
        options.port = 0
        options.asFastAsPossible = true
        let replayer = LiveReplayer(options: options)
        let replay = Task { try await replayer.run(RawImageReplaySource(frames: frames)) }
        let port = try await eventually("the replayer's port") { replayer.port }
        let source = LiveFrameSource(options: .init(host: "127.0.0.1", port: port, content: .images(poseFrame: "Probe")))
        var liveStep = try step()
        liveStep.beginSource(0, of: 1)
        let (live, n) = try await Self.consume(liveStep, from: source, base: base)
        _ = try await replay.result.get()
        let liveOutcome = try live.finish()

        let a = try #require(liveOutcome.transforms.first).matrix, b = try #require(offlineOutcome.transforms.first).matrix
        // Largest displacement of the image corners (820 x 616 px) between the two ImageToProbe.
        var worst = 0.0
        for (x, y) in [(0.0, 0.0), (820, 0), (0, 616), (820, 616)] {
            let p = SIMD3(x, y, 0)
            worst = max(worst, Self.distance(a.apply(p), b.apply(p)))
        }
        print("probe live vs offline: \(n) of \(frames.count) frames, \(live.progress); ImageToProbe corners differ by at most \(worst) mm; live: \(liveOutcome.lines[0])")
        #expect(n == frames.count)
        #expect(live.progress == offline.progress)
        #expect(worst < 0.05)
    }
}
