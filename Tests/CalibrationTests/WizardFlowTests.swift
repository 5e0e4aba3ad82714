import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Calibration

/// A user at a scripted terminal: answers in order (nil once they run out, as at end of input),
/// everything shown kept.
final class ScriptedIO: WizardIO {
    private var answers: [String]
    private(set) var shown: [String] = []
    private(set) var prompts: [String] = []

    init(_ answers: [String]) { self.answers = answers }

    var text: String { shown.joined(separator: "\n") }

    func say(_ text: String) { shown.append(text) }
    func ask(_ prompt: String) -> String? {
        prompts.append(prompt)
        shown.append(prompt)
        return answers.isEmpty ? nil : answers.removeFirst()
    }
    func beginProgress(total: Int?, label: String) {}
    func progress(_ done: Int, note: String) {}
    func endProgress() {}
}

/// The wizard's flow (`CalibrationWizard`) driven without a terminal.
@Suite struct WizardFlowTests {
    /// A linear recording: `rows` rows of speckle under a 20-row black band, black below.
    static func linearRecording(_ name: String, rows: Int = 400) throws -> String {
        let dir = PlusData.temporaryDirectory("wizard-flow")
        let path = dir.appendingPathComponent(name).path
        let frames = (0..<4).map { i in
            TrackedFrame(image: SpacingTests.frame(width: 200, height: rows + 60, seed: UInt64(i + 1)) { x, y in x >= 10 && x <= 189 && y >= 20 && y < Double(20 + rows) },
                         timestamp: Double(i))
        }
        try SequenceFile.write(TrackedSequence(frames: frames), to: path)
        return path
    }

    static func output(_ name: String) -> String {
        let path = PlusData.temporaryDirectory("wizard-flow").appendingPathComponent(name).path
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    @Test func quitAtTheStartSavesNothingAndFails() throws {
        var options = CalibrationWizard.Options(outputPath: Self.output("quit.xml"))
        options.steps = [.pivot]
        let io = ScriptedIO(["q"])
        var wizard = CalibrationWizard(options: options, io: io)
        let report = try wizard.run()
        #expect(!report.succeeded)
        #expect(report.steps.map(\.status) == [.quit])
        #expect(report.savedTo == nil)
        #expect(io.text.contains("Nothing to save."))
    }

    @Test func redoChangesTheDepth() throws {
        let recording = try Self.linearRecording("linear400.igs.mha")
        var options = CalibrationWizard.Options(outputPath: Self.output("spacing.xml"))
        options.steps = [.spacing]
        options.recordings = [recording]
        options.depth = 100
        // Enter starts; redo; new depth 40 mm; same recording; accept.
        let io = ScriptedIO(["", "r", "40", "", "a"])
        var wizard = CalibrationWizard(options: options, io: io)
        let report = try wizard.run()
        #expect(report.succeeded, "\(io.text)")
        #expect(io.text.contains("spacing 0.25 mm/px (100 mm over 400 px)"), "\(io.text)")
        #expect(io.text.contains("spacing 0.1 mm/px (40 mm over 400 px)"), "\(io.text)")
        let saved = try DeviceSetConfiguration.load(try #require(report.savedTo))
        let scale = try #require(saved.coordinateDefinitionDetails.first { $0.name.from == "TransducerOriginPixel" })
        #expect(abs(scale.matrix[0, 0] - 0.1) < 1e-9)
    }

    @Test func scriptedFailureIsNotSuccess() throws {
        // Data to the last row: the region is refused, so the step fails.
        let dir = PlusData.temporaryDirectory("wizard-flow")
        let path = dir.appendingPathComponent("full.igs.mha").path
        let frame = TrackedFrame(image: SpacingTests.frame(width: 100, height: 120) { _, _ in true }, timestamp: 0)
        try SequenceFile.write(TrackedSequence(frames: [frame]), to: path)
        var options = CalibrationWizard.Options(outputPath: Self.output("fail.xml"))
        options.steps = [.spacing]
        options.stepsChosen = true
        options.recordings = [path]
        options.depth = 50
        options.assumeYes = true
        let io = ScriptedIO([])
        var wizard = CalibrationWizard(options: options, io: io)
        let report = try wizard.run()
        #expect(!report.succeeded)
        #expect(report.steps.first?.status == .failed)
        #expect(io.text.contains("--rows"), "\(io.text)")
    }

    @Test func scriptedStepWithoutItsInputFailsWhenChosen() throws {
        var options = CalibrationWizard.Options(outputPath: Self.output("none.xml"))
        options.steps = [.landmarks]
        options.stepsChosen = true
        options.assumeYes = true
        let io = ScriptedIO([])
        var wizard = CalibrationWizard(options: options, io: io)
        let report = try wizard.run()
        #expect(!report.succeeded)
        #expect(io.text.contains("needs a PLUS device-set configuration"), "\(io.text)")
    }

    /// A step that needs a configuration asks for one instead of giving up.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func asksForConfigurationWhenAStepNeedsOne() throws {
        var options = CalibrationWizard.Options(outputPath: Self.output("landmarks.xml"))
        options.steps = [.landmarks]
        options.recordings = [PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha")]
        let io = ScriptedIO(["/nonexistent/device.xml", PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_RecordPhantomLandmarks.xml"), "", "a"])
        var wizard = CalibrationWizard(options: options, io: io)
        let report = try wizard.run()
        #expect(report.succeeded, "\(io.text)")
        #expect(io.prompts.filter { $0.hasPrefix("Configuration file with") }.count == 2, "\(io.prompts)")
        #expect(io.text.contains("/nonexistent/device.xml:"), "\(io.text)")
        #expect(report.steps.first?.status == .saved)
        #expect(try DeviceSetConfiguration.load(try #require(report.savedTo)).coordinateDefinitionDetails.contains { $0.name.description == "PhantomToReference" })
    }
}
