import Foundation
import Geometry
import Imaging
import Recordings
import FreehandTestSupport
import Testing
@testable import Calibration

@Suite struct CalibrationStepTests {
    @Test func pivotStepGradesAndSavesTipTransform() throws {
        var step = PivotStep()
        for f in PlusFakeTracker.frames(count: 200).frames { step.consume(f, base: TransformRepository()) }
        #expect(step.progress.hasPrefix("poses 200"))
        let outcome = try step.finish()
        #expect(outcome.grade == .pass)
        let t = try #require(outcome.transforms.first)
        #expect(t.name == TransformName(from: "StylusTip", to: "Stylus"))
        #expect((t.matrix.translation - PivotCalibrationTests.plusTip).length < 0.5)
        step.reset()
        #expect(throws: CalibrationStepError.self) { try step.finish() }
    }

    @Test func pivotStepFailsWithoutRotation() throws {
        var step = PivotStep()
        let ref = TransformName(from: "Reference", to: "Tracker"), stylus = TransformName(from: "Stylus", to: "Tracker")
        for i in 0..<50 {
            // A wobble of about 2 degrees only: the tip is poorly determined.
            let r = Transform3D.rotation(axis: i % 2 == 0 ? SIMD3(0, 1, 0) : SIMD3(0, 0, 1), angle: Double(i % 5 - 2) * 0.01)
            var m = r
            m.translation = SIMD3(0, 0, 100) - r.applyToVector(SIMD3(200, 0, 0))
            step.consume(TrackedFrame(image: Image(width: 1, height: 1), timestamp: Double(i), transforms: [
                ref: TrackedTransform(matrix: .identity, status: .ok), stylus: TrackedTransform(matrix: m, status: .ok),
            ]), base: TransformRepository())
        }
        let outcome = try step.finish()
        #expect(outcome.grade == .fail)
        #expect(outcome.lines.contains { $0.contains("pivot it more widely") })
    }

    @Test func gradesOrder() {
        #expect(CalibrationGrade.grade(0.3, warnAbove: 0.5, failAbove: 1) == .pass)
        #expect(CalibrationGrade.grade(0.7, warnAbove: 0.5, failAbove: 1) == .warn)
        #expect(CalibrationGrade.grade(1.5, warnAbove: 0.5, failAbove: 1) == .fail)
        #expect(max(CalibrationGrade.pass, .warn) == .warn)
    }

    @Test func spacingStepWritesPlusTransducerTransforms() throws {
        var step = SpacingStep(depth: 150, fileSpacing: SIMD2(0.2, 0.2))
        let img = SpacingTests.frame(width: 300, height: 540) { x, y in x >= 20 && x <= 279 && y >= 10 && y <= 521 }
        step.consume(TrackedFrame(image: img, timestamp: 0), base: TransformRepository())
        let outcome = try step.finish()
        #expect(outcome.grade == .warn) // the file's 0.2 mm/px disagrees with 150 mm / 512 px
        let scale = try #require(outcome.transforms.first { $0.name.from == "TransducerOriginPixel" })
        #expect(abs(scale.matrix[0, 0] - 150.0 / 512) < 1e-12)
        let origin = try #require(outcome.transforms.first { $0.name.from == "Image" })
        #expect(origin.matrix.translation == SIMD3(-149.5, -10, 0))
    }
}

extension CalibrationStepTests {
    @Test(.enabled(if: FreehandTestSupport.PlusData.isAvailable, FreehandTestSupport.PlusData.skipReason))
    func probeStepNeedsPhantomRegistration() throws {
        let config = try DeviceSetConfiguration.load(FreehandTestSupport.PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_SpatialCalibration_2.0.xml"))
        let phantom = try NWirePhantom(configuration: config.root)
        var step = ProbeStep(phantom: phantom, segmenter: try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: config.root), phantom: phantom))
        step.consume(TrackedFrame(image: Image(width: 8, height: 8), timestamp: 0), base: TransformRepository())
        #expect(step.progress.hasPrefix("frames 1"))
        #expect(step.progress.contains("1 untracked"))
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        #expect(error?.message.contains("PhantomToReference") == true)
    }
}
