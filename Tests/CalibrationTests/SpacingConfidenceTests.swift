import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Calibration

/// Spacing from depth refuses what it cannot see, compares with ImageToProbe, and `--apply`
/// rescales a device-set file's ImageToProbe.
@Suite struct SpacingConfidenceTests {
    @Test func dataToTheLastRowIsRefusedAndRowsByHandAreUsed() throws {
        let img = SpacingTests.frame(width: 200, height: 300) { x, _ in x >= 20 && x <= 179 }
        let region = try FanDetector().detect([img])
        #expect(!region.confidence.isConfident)
        #expect(region.confidence.reasons.joined().contains("first row"))
        var step = SpacingStep(depth: 60)
        step.consume(TrackedFrame(image: img, timestamp: 0), base: TransformRepository())
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        #expect(error?.message.contains("--rows") == true)
        step.givenRegion = RegionSelection(rows: "0...299")
        let outcome = try step.finish()
        #expect(abs((outcome.spacing ?? 0) - 0.2) < 1e-12)
    }

    /// A near field that fades in (gain ramp) has no sharp top border: refused, not 2x wrong.
    @Test func darkNearFieldIsRefused() throws {
        // Rows 10...120 hold data with a probability rising from 0 to 1.
        func inside(_ x: Double, _ y: Double, _ i: Int) -> Bool {
            guard x >= 20, x <= 179, y >= 10, y <= 280 else { return false }
            let p: Double = min(1, (y - 10) / 110)
            let a: Int = Int(x) * 7919, b: Int = Int(y) * 104729
            let hash: Int = (a + b + i * 31) % 1000
            return Double(hash) / 1000 < p
        }
        let frames: [Image] = (0..<10).map { i in
            SpacingTests.frame(width: 200, height: 300, seed: UInt64(i + 1)) { x, y in inside(x, y, i) }
        }
        let region = try FanDetector().detect(frames)
        #expect(!region.confidence.isConfident, "\(region) \(region.confidence)")
    }

    /// Moving bright structures on black (N-wire dots, a water-tank bottom) change from frame to frame.
    @Test func movingStructuresOnBlackAreRefused() throws {
        let frames = (0..<12).map { i in
            SpacingTests.frame(width: 300, height: 300, seed: UInt64(i + 1)) { x, y in
                let cy = 60 + Double(i) * 15
                return abs(y - cy) < 4 && x > 40 && x < 260
            }
        }
        let region = try FanDetector().detect(frames)
        #expect(region.confidence.frameAgreement < 0.2)
        #expect(!region.confidence.isConfident)
    }

    @Test func plusUnitElementSpacingIsNoAlarmAndImageToProbeDecides() throws {
        let img = SpacingTests.frame(width: 300, height: 560) { x, y in x >= 50 && x <= 249 && y >= 20 && y <= 531 }
        let region = try FanDetector().detect([img])
        #expect(region.confidence.isConfident)
        // PLUS files store ElementSpacing 1: nothing to compare.
        let unit = SpacingEstimate(region: region, depth: 150, fileSpacing: SIMD2(1, 1))
        #expect(unit.warning == nil && unit.warnings.isEmpty)
        #expect(unit.comparison.contains("ElementSpacing 1"))
        // ImageToProbe implies 150 mm / 512 px: the right depth passes, a 3x wrong one warns.
        let implied = SIMD2(0.29, 150.0 / 512)
        #expect(SpacingEstimate(region: region, depth: 150, fileSpacing: SIMD2(1, 1), imageToProbeSpacing: implied).warnings.isEmpty)
        let wrong = SpacingEstimate(region: region, depth: 50, fileSpacing: SIMD2(1, 1), imageToProbeSpacing: implied)
        #expect(wrong.warnings.count == 1)
        #expect(wrong.warning?.contains("150 mm deep, not 50 mm") == true, "\(wrong.warning ?? "")")
        // An implausible spacing is a warning with the numbers.
        let absurd = SpacingEstimate(region: region, depth: 1000)
        #expect(absurd.warnings.first?.contains("outside the range of clinical ultrasound") == true)
    }

    @Test func regionSelectionParses() {
        #expect(RegionSelection(rows: "12...601") == RegionSelection(rows: 12...601))
        #expect(RegionSelection(rows: "12:601") == RegionSelection(rows: 12...601))
        #expect(RegionSelection(rows: "601...12") == nil)
        #expect(RegionSelection(rows: "-3...4") == nil)
        #expect(RegionSelection(region: "10, 20, 300, 400") == RegionSelection(rows: 20...400, columns: 10...300))
        #expect(RegionSelection(region: "10,20,5,400") == nil)
    }

    /// `--apply`: only the numbers of ImageToProbe's Matrix change; its directions and
    /// translation are kept, its x and y columns get the new length.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func applyRescalesImageToProbeOnly() throws {
        let source = PlusData.path("ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml")
        let path = PlusData.temporaryDirectory("spacing-apply").appendingPathComponent("device.xml").path
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: source, toPath: path)
        let before = try String(contentsOfFile: path, encoding: .utf8)
        let old = try #require(ImageToProbeSpacing(configuration: try DeviceSetConfiguration.load(path)))
        let (was, now) = try ImageToProbeSpacing.apply(spacing: 0.1, toConfiguration: path)
        #expect(was == old.matrix)
        let after = try String(contentsOfFile: path, encoding: .utf8)
        let new = try #require(ImageToProbeSpacing(configuration: try DeviceSetConfiguration.load(path)))
        #expect(abs(new.spacing.x - 0.1) < 1e-7 && abs(new.spacing.y - 0.1) < 1e-7)
        #expect(new.matrix.maxDifference(to: now) < 1e-8)
        #expect(new.matrix.translation == old.matrix.translation)
        for c in 0..<2 {
            let a = old.matrix.column(c) / old.spacing[c], b = new.matrix.column(c) / new.spacing[c]
            #expect((a - b).length < 1e-7)
        }
        // Everything outside the Matrix value is byte for byte the same.
        let b = Array(before.utf8), a = Array(after.utf8)
        let prefix = zip(b, a).prefix { $0 == $1 }.count
        let suffix = zip(b.reversed(), a.reversed()).prefix { $0 == $1 }.count
        let changedBefore = String(decoding: b[prefix..<(b.count - suffix)], as: UTF8.self)
        #expect(!changedBefore.contains("\""), "changed outside the Matrix value: \(changedBefore)")
        #expect(before.contains("Matrix=") && prefix > before.utf8.count / 10)
        // A recording is never a device set.
        #expect(throws: SpacingApplyError.self) {
            try ImageToProbeSpacing.apply(spacing: 0.1, toConfiguration: PlusData.path("TestImages/SpinePhantomFreehand.igs.mha"))
        }
    }
}
