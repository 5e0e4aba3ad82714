import Foundation
import FreehandTestSupport
import Testing
@testable import Calibration

/// `freehand spacing` over every PLUS image set: each one is right within 2 % or refused; none
/// is wrong with a result. Expected spacings come from PLUS's scan-conversion settings (Ultrasonix
/// C5-2 and L9-4, BK 8848) or the recordings' ImageToProbe; where the imaging region is not
/// visible (N-wire and water-tank images, data to the last row) only a refusal is right.
@Suite struct SpacingTableTests {
    struct Case: Sendable, CustomStringConvertible {
        var file: String, depth: Double, expected: Double?, mustRefuse: Bool
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(file: "UltrasonixCurvilinearScanConvertedData.igs.mha", depth: 72, expected: 0.15, mustRefuse: false),
        Case(file: "UltrasonixCurvilinearScanConvertedDataGroundTruth.igs.mha", depth: 72, expected: 0.15, mustRefuse: false),
        Case(file: "BkCurvilinearScanConvertedData.igs.mha", depth: 50, expected: 0.15, mustRefuse: false),
        Case(file: "UltrasonixLinearScanConvertedData.igs.mha", depth: 55, expected: 0.2, mustRefuse: false),
        Case(file: "SpinePhantomFreehand.igs.mha", depth: 46.6, expected: 0.079, mustRefuse: false),
        Case(file: "fCal_Test_Calibration_3NWires_fCal2.0.igs.mha", depth: 45.9, expected: nil, mustRefuse: true),
        Case(file: "fCal_Test_Validation_3NWires_fCal2.0.igs.mha", depth: 45.9, expected: nil, mustRefuse: true),
        Case(file: "USTC_3NWires_ProbeRotation.igs.mha", depth: 87.7, expected: nil, mustRefuse: true),
        Case(file: "WaterTankBottomTranslationVideoBuffer.igs.mha", depth: 45.9, expected: nil, mustRefuse: true),
        Case(file: "SegmentationTest_BKMedical_RandomStepperMotionData2_Trimmed.igs.mha", depth: 124.8, expected: nil, mustRefuse: true),
        Case(file: "SegmentationTest_VLCUS_RandomStepperMotionData2.igs.mha", depth: 100.8, expected: nil, mustRefuse: true),
        Case(file: "SyntheticVideoBuffer20.igs.mha", depth: 54.9, expected: nil, mustRefuse: true),
    ]

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason), arguments: cases)
    func rightOrRefused(_ c: Case) throws {
        let run = SpacingRun(input: PlusData.path("TestImages/" + c.file), depth: c.depth)
        do {
            let result = try run.run()
            let found = try #require(result.outcome.spacing)
            print("spacing table: \(c.file) --depth \(c.depth): \(found) mm/px, expected \(c.expected.map { "\($0)" } ?? "a refusal")")
            #expect(!c.mustRefuse, "\(c.file): \(result.lines)")
            if let e = c.expected { #expect(abs(found - e) <= 0.02 * e, "\(c.file): \(found) mm/px, expected \(e)") }
        } catch let error as CalibrationStepError {
            print("spacing table: \(c.file) --depth \(c.depth): refused (\(error.message.prefix(120))...)")
            #expect(error.message.contains("--rows"))
        }
    }
}
