import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Calibration

/// The fCal 2.0 N-wire recordings and configuration, segmented once and shared by the tests below
/// (PLUS test vtkFreehandCalibration3NWiresfCal20Test).
enum FCal20Fixture {
    struct Loaded {
        var configuration: DeviceSetConfiguration
        var segmenter: NWireSegmenter
        var calibration: [NWireSegmentation], validation: [NWireSegmentation]
        var calibrationObservations: [NWireObservation], validationObservations: [NWireObservation]
        var validationFrames: [TrackedFrame]
        /// PLUS's FreehandCalibration3NWires_fCal2.0.results.xml.
        var plus: ConfigElement
    }

    static let shared: Result<Loaded, any Error> = Result {
        let configuration = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_SpatialCalibration_2.0.xml"))
        let segmenter = try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: configuration.root),
                                           phantom: NWirePhantom(configuration: configuration.root))
        let calibrationFrames = try SequenceFile.read(PlusData.path("TestImages/fCal_Test_Calibration_3NWires_fCal2.0.igs.mha")).frames
        let validationFrames = try SequenceFile.read(PlusData.path("TestImages/fCal_Test_Validation_3NWires_fCal2.0.igs.mha")).frames
        let calibration = segmenter.segment(calibrationFrames.map(\.image))
        let validation = segmenter.segment(validationFrames.map(\.image))
        func observations(_ frames: [TrackedFrame], _ s: [NWireSegmentation]) -> [NWireObservation] {
            zip(frames, s).compactMap { frame, s in
                guard s.isPatternFound, let pose = NWireCalibration.probeToReference(of: frame) else { return nil }
                return NWireObservation(points: s.points, probeToReference: pose)
            }
        }
        let plusData = try Data(contentsOf: URL(fileURLWithPath: PlusData.path("TestImages/FreehandCalibration3NWires_fCal2.0.results.xml")))
        return Loaded(configuration: configuration, segmenter: segmenter, calibration: calibration, validation: validation,
                      calibrationObservations: observations(calibrationFrames, calibration),
                      validationObservations: observations(validationFrames, validation),
                      validationFrames: validationFrames,
                      plus: try ConfigElement.parse(plusData, path: "FreehandCalibration3NWires_fCal2.0.results.xml"))
    }

    /// PLUS's segmented points per frame index of `section` (`CalibrationData` or `ValidationData`); empty when it failed.
    static func plusPoints(_ plus: ConfigElement, _ section: String) -> [Int: [SIMD2<Double>]] {
        var out: [Int: [SIMD2<Double>]] = [:]
        for frame in plus.first(section)?.children ?? [] where frame.name == "Frame" {
            guard let index = frame[attribute: "Index"].flatMap({ Int($0) }) else { continue }
            out[index] = (frame.first("SegmentedPoints")?.children ?? []).compactMap { p in
                p.numbers("Position").map { SIMD2($0[0], $0[1]) }
            }
        }
        return out
    }
}

/// Compares segmentations with PLUS's: frames where both or neither found the pattern, and the dot distances.
func nwireCompareWithPlus(_ mine: [NWireSegmentation], _ plus: [Int: [SIMD2<Double>]]) -> (agree: Int, found: Int, meanDistance: Double, maxDistance: Double) {
    var agree = 0, found = 0, sum = 0.0, count = 0, worst = 0.0
    for (i, s) in mine.enumerated() {
        let expected = plus[i] ?? []
        if s.isPatternFound == !expected.isEmpty { agree += 1 }
        guard s.isPatternFound, !expected.isEmpty else { continue }
        found += 1
        for (a, b) in zip(s.points, expected) {
            let d = (a - b).length
            sum += d; count += 1; worst = max(worst, d)
        }
    }
    return (agree, found, sum / Double(max(count, 1)), worst)
}

@Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
func nwireSegmentationMatchesPlusOnFCal20() throws {
    let f = try FCal20Fixture.shared.get()
    // PLUS found the pattern in 184 of 190 calibration frames and all 103 validation frames; the port
    // follows the same integer roundings, so the decisions must agree frame by frame and the dots
    // must agree to PLUS's 6 printed digits (<= 0.0005 px per coordinate).
    for (mine, section) in [(f.calibration, "CalibrationData"), (f.validation, "ValidationData")] {
        let plus = FCal20Fixture.plusPoints(f.plus, section)
        let c = nwireCompareWithPlus(mine, plus)
        print("N-wire fCal 2.0 \(section): pattern found in \(c.found) of \(mine.count) frames (PLUS \(plus.values.filter { !$0.isEmpty }.count)), decisions agree in \(c.agree), dot distance to PLUS mean \(c.meanDistance) max \(c.maxDistance) px")
        #expect(c.agree == mine.count, "\(section): \(mine.count - c.agree) frames disagree with PLUS")
        #expect(c.found == plus.values.filter { !$0.isEmpty }.count)
        #expect(c.meanDistance < 0.002 && c.maxDistance < 0.002, "\(section): mean \(c.meanDistance) max \(c.maxDistance) px")
    }
}

@Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
func nwireLinearCalibrationMatchesPlusOnFCal20() throws {
    let f = try FCal20Fixture.shared.get()
    let calibration = try NWireCalibration(configuration: f.configuration, refinement: .none)
    let result = try calibration.calibrate(calibration: f.calibrationObservations, validation: f.validationObservations)
    let plusMatrix = try #require(f.plus.first("CalibrationResults")?.first("Transform")?.numbers("Matrix"))
    let plus = Transform3D(rowMajor: plusMatrix)
    // Same points and the same least-squares problem: equal to PLUS's 6 printed digits.
    let linearPart = (0..<3).flatMap { r in (0..<3).map { c in abs(result.imageToProbe[r, c] - plus[r, c]) } }.max()!
    #expect(linearPart < 1e-6)
    #expect((result.imageToProbe.translation - plus.translation).length < 1e-3)
    let stats = try #require(f.plus.first("ReprojectionError3DStatistics"))
    let plusValidation = try #require(stats.numbers("ValidationMeanMm")?.first)
    let plusValidationSD = try #require(stats.numbers("ValidationStdDevMm")?.first)
    let plusCalibration = try #require(stats.numbers("CalibrationMeanMm")?.first)
    print("N-wire linear ImageToProbe: \(result.imageToProbe)\n  PLUS: \(plus)\n  PRE3D validation \(result.validationError.mean) +- \(result.validationError.standardDeviation) mm (PLUS \(plusValidation) +- \(plusValidationSD)), calibration \(result.calibrationError.mean) mm (PLUS \(plusCalibration)), pixel size \(result.pixelSize.x) x \(result.pixelSize.y) mm")
    #expect(abs(result.validationError.mean - plusValidation) < 1e-4)            // 0.539932 mm
    #expect(abs(result.validationError.standardDeviation - plusValidationSD) < 1e-4)
    #expect(abs(result.calibrationError.mean - plusCalibration) < 1e-4)          // 0.479116 mm
    #expect(result.calibrationFrameCount == 184 && result.validationFrameCount == 103)
    // In-plane errors per wire as PLUS reports them (ValidationMeanPx), within 0.01 px.
    for (mine, wire) in zip(result.validationInPlaneErrors, f.plus.first("ReprojectionError2DStatistics")?.children ?? []) {
        let plusMean = try #require(wire.numbers("ValidationMeanPx"))
        #expect(mine.wireName == wire[attribute: "Name"])
        #expect(abs(mine.mean.x - plusMean[0]) < 0.01 && abs(mine.mean.y - plusMean[1]) < 0.01, "\(mine.wireName): \(mine.mean) vs \(plusMean)")
    }
}

@Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
func nwireRefinedCalibrationMeetsAccuracyOnFCal20() throws {
    let f = try FCal20Fixture.shared.get()
    let result = try NWireCalibration(configuration: f.configuration)
        .calibrate(calibration: f.calibrationObservations, validation: f.validationObservations)
    // Acceptance: PRE3D on the validation recording at most 0.6 mm (PLUS 0.540 +- 0.224 mm), pixel
    // size within 2 % of PLUS's 0.0803 x 0.0745 mm, and orthogonal image axes.
    print("N-wire refined ImageToProbe: \(result.imageToProbe)\n  PRE3D validation \(result.validationError.mean) +- \(result.validationError.standardDeviation) mm, calibration \(result.calibrationError.mean) mm, pixel size \(result.pixelSize.x) x \(result.pixelSize.y) mm, axes \(result.axesAngleDegrees) deg, outliers \(result.outlierCount)")
    #expect(result.validationError.mean <= 0.6)
    #expect(abs(result.pixelSize.x - 0.0803) / 0.0803 < 0.02)
    #expect(abs(result.pixelSize.y - 0.0745) / 0.0745 < 0.02)
    #expect(abs(result.axesAngleDegrees - 90) < 1e-6)
}

@Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
func nwireCalibrationFromTrackedFramesReportsProgress() throws {
    let f = try FCal20Fixture.shared.get()
    let frames = Array(f.validationFrames.prefix(12))
    var reports: [Int] = []
    let result = try NWireCalibration(configuration: f.configuration)
        .calibrate(calibrationFrames: frames, validationFrames: frames, segmenter: f.segmenter) { done, total in
            #expect(total == 24)
            reports.append(done)
        }
    #expect(reports == [12, 24])   // one report per batch of up to 16 frames, per recording
    #expect(result.calibrationFrameCount == 12)
}

@Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
func nwireSegmentationMatchesPlusBaselineOnVLCUS() throws {
    // PLUS test PatternLocTest_..._VLCUS_RandomStepperMotionData2 (two N-wires, 640x480); every 4th frame.
    let configuration = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/Testing/PlusDeviceSet_iCal_CalibrationOnly_VLCUS_FrameGrabber.xml"))
    let segmenter = try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: configuration.root),
                                       phantom: NWirePhantom(configuration: configuration.root))
    let frames = try SequenceFile.read(PlusData.path("TestImages/SegmentationTest_VLCUS_RandomStepperMotionData2.igs.mha")).frames
    let baselinePath = PlusData.path("TestImages/SegmentationTest_VLCUS_RandomStepperMotionData2_Segmentation_baseline.xml")
    let baseline = try ConfigElement.parse(Data(contentsOf: URL(fileURLWithPath: baselinePath)), path: baselinePath)
    var compared = 0, agree = 0, sum = 0.0, count = 0
    let cases = baseline.all("TestCase")
    #expect(cases.count > 150, "baseline has \(cases.count) test cases")
    for (n, testCase) in cases.enumerated() where n % 4 == 0 {
        let index = try #require(testCase.first("Input")?.numbers("ImageSeqFrameIndex")?.first).rounded()
        let output = try #require(testCase.first("Output"))
        let success = output[attribute: "SegmentationSuccess"] == "1"
        let expected = output.numbers("SegmentationPoints") ?? []
        let mine = try segmenter.segment(frames[Int(index)].image)
        compared += 1
        if mine.isPatternFound == success { agree += 1 }
        if mine.isPatternFound && success {
            for k in 0..<6 { sum += (mine.points[k] - SIMD2(expected[2 * k], expected[2 * k + 1])).length; count += 1 }
        }
    }
    print("N-wire VLCUS baseline: \(agree) of \(compared) frames agree with PLUS, mean dot distance \(sum / Double(max(count, 1))) px")
    #expect(compared == (cases.count + 3) / 4 && agree == compared, "\(agree) of \(compared) frames agree")
    #expect(sum / Double(max(count, 1)) < 0.002)
}

@Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
func nwireSpacingMatchesPlusOnUSTC() throws {
    // PLUS test SpacingCalibAlgoTest-3NWires: iCal 1.1 phantom, probe rotation recording.
    let configuration = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/Queens/PlusDeviceSet_iCal_SonixTouch_BlackTargetGuideStepper_1.1.xml"))
    let phantom = try NWirePhantom(configuration: configuration.root)
    let segmenter = try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: configuration.root), phantom: phantom)
    let frames = try SequenceFile.read(PlusData.path("TestImages/USTC_3NWires_ProbeRotation.igs.mha")).frames
    let segmentations = segmenter.segment(frames.map(\.image))
    let result = try NWireSpacingCalibration(phantom: phantom).estimate(segmentations.map(\.points))
    let baselinePath = PlusData.path("TestImages/USTC_3NWires_StepperCalibrationResultBaseline.xml")
    let baseline = try ConfigElement.parse(Data(contentsOf: URL(fileURLWithPath: baselinePath)), path: baselinePath)
    let plus = try #require(baseline.first("SpacingCalibrationResult")?.numbers("Spacing"))   // 0.14709615 0.14239371
    // Acceptance is 2 %; the port reproduces PLUS's equations and outlier rejection, so 0.01 % holds.
    print("N-wire USTC spacing \(result.spacing.x) x \(result.spacing.y) mm/px (PLUS \(plus[0]) x \(plus[1])), residual mean \(result.residualMean) sd \(result.residualStandardDeviation), \(segmentations.filter(\.isPatternFound).count) of \(frames.count) frames segmented")
    #expect(abs(result.spacing.x - plus[0]) / plus[0] < 1e-4)
    #expect(abs(result.spacing.y - plus[1]) / plus[1] < 1e-4)
}
