import Foundation
import FreehandTestSupport
import Recordings
@testable import Calibration
import Testing

/// Drives the `freehand calibrate` wizard through standard input, as a user would.
@Suite struct CalibrateCommandTests {
    static var canRun: Bool { PlusData.isAvailable && FreehandExecutable.isAvailable }

    static func run(_ arguments: [String], input: String) throws -> (status: Int32, output: String) {
        try FreehandExecutable.run(arguments, input: input)
    }

    @Test(.enabled(if: canRun, "needs the PLUS data and a built freehand executable"))
    func interactiveRedoThenAccept() throws {
        let out = PlusData.temporaryDirectory("calibrate-wizard").appendingPathComponent("result.xml").path
        // Enter to start, redo with the same recording, accept.
        let r = try Self.run([
            "calibrate", "--step", "landmarks",
            "--config", PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_RecordPhantomLandmarks.xml"),
            "--recording", PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha"),
            "--output", out,
        ], input: "\nr\n\na\n")
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.components(separatedBy: "Result: PASS").count == 3, "\(r.output)")
        #expect(r.output.contains("landmarks found 8/8"))
        #expect(r.output.contains("== Summary =="))
        let saved = try DeviceSetConfiguration.load(out)
        #expect(saved.coordinateDefinitionDetails.contains { $0.name.description == "PhantomToReference" })
    }

    @Test(.enabled(if: canRun, "needs the PLUS data and a built freehand executable"))
    func quitSavesNothingAndFails() throws {
        let out = PlusData.temporaryDirectory("calibrate-wizard").appendingPathComponent("none.xml").path
        let r = try Self.run(["calibrate", "--step", "probe", "--step", "landmarks", "--output", out,
                              "--config", PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_RecordPhantomLandmarks.xml"),
                              "--recording", PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha")],
                             input: "q\n")
        // Quitting is not success.
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("Nothing to save."))
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test(.enabled(if: canRun, "needs the PLUS data and a built freehand executable"))
    func scriptedStepFailsWithExitCodeOnBadInput() throws {
        // The landmark recording is no pivot recording: pivoting about eight points fails the grade.
        let r = try Self.run(["calibrate", "--step", "pivot", "--yes", "--output", PlusData.temporaryDirectory("cal").appendingPathComponent("x.xml").path,
                              "--recording", PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha")], input: "")
        #expect(r.status == 1, "\(r.output)")
        #expect(r.output.contains("Result: FAIL"), "\(r.output)")
    }
}

extension CalibrateCommandTests {
    /// The PLUS stylus-calibration input (FakeTracker poses) written as a recording, calibrated by
    /// the scripted wizard, and compared with PLUS's StylusCalibration.results.xml.
    @Test(.enabled(if: canRun, "needs the PLUS data and a built freehand executable"))
    func scriptedPivotMatchesPlusBaseline() throws {
        let dir = PlusData.temporaryDirectory("calibrate-pivot")
        let recording = dir.appendingPathComponent("PivotFakeTracker.igs.mha").path
        try SequenceFile.write(TrackedSequence(frames: PlusFakeTracker.frames(count: 200).frames), to: recording)
        let out = dir.appendingPathComponent("Stylus.xml").path
        let r = try Self.run(["calibrate", "--step", "pivot", "--recording", recording, "--yes", "--output", out,
                              "--config", PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_PivotCalibration.xml")], input: "")
        #expect(r.status == 0, "\(r.output)")
        let ours = try #require(try DeviceSetConfiguration.load(out).coordinateDefinitionDetails.first { $0.name.description == "StylusTipToStylus" })
        let plus = try #require(try DeviceSetConfiguration.load(PlusData.path("TestImages/StylusCalibration.results.xml")).coordinateDefinitionDetails.first)
        let d = ours.matrix.translation - plus.matrix.translation
        #expect((d * d).sum().squareRoot() < 0.5)
        #expect(abs((ours.error ?? 0) - (plus.error ?? 0)) < 0.1)
    }
}
