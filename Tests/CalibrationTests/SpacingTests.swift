import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Calibration

@Suite struct SpacingTests {
    /// A synthetic frame: speckle inside `inside`, black outside.
    static func frame(width: Int, height: Int, seed: UInt64 = 1, inside: (Double, Double) -> Bool) -> Image {
        var g = SplitMix64(seed: seed)
        var img = Image(width: width, height: height)
        for y in 0..<height { for x in 0..<width where inside(Double(x), Double(y)) {
            img[x, y] = UInt8(1 + g.next() % 200)
        } }
        return img
    }

    @Test func linearRegionGivesSpacingFromDepth() throws {
        // 512 rows of data from row 20: the Slicer user's 150 mm depth with 0.2 mm in the file.
        let img = Self.frame(width: 400, height: 560) { x, y in x >= 50 && x <= 349 && y >= 20 && y <= 531 }
        let region = try FanDetector().detect([img])
        #expect(region.shape == .linear)
        #expect(region.top == 20 && region.bottom == 531 && region.left == 50 && region.right == 349)
        let estimate = SpacingEstimate(region: region, depth: 150, fileSpacing: SIMD2(0.2, 0.2))
        #expect(abs(estimate.spacing - 150.0 / 512) < 1e-12)
        let warning = try #require(estimate.warning)
        #expect(warning.contains("102.4 mm"))
        #expect(SpacingEstimate(region: region, depth: 102.4, fileSpacing: SIMD2(0.2, 0.2)).warning == nil)
    }

    @Test func curvilinearFanIsRecovered() throws {
        // Apex above the frame, +-40 deg, radius 60...400 px, clipped by nothing.
        let fan = FanGeometry(apex: SIMD2(300, -30), startAngleDegrees: -40, stopAngleDegrees: 40, radiusStart: 60, radiusStop: 400)
        let img = Self.frame(width: 600, height: 400) { fan.contains(x: $0, y: $1) }
        let region = try FanDetector().detect([img])
        let found = try #require(region.fan)
        #expect(region.shape == .curvilinear)
        #expect(abs(found.apex.x - 300) < 1.5 && abs(found.apex.y + 30) < 1.5)
        #expect(abs(found.startAngleDegrees + 40) < 0.5 && abs(found.stopAngleDegrees - 40) < 0.5)
        #expect(abs(found.radiusStart - 60) < 1.5 && abs(found.radiusStop - 400) < 1.5)
        let estimate = SpacingEstimate(region: region, depth: 68)  // 340 px of depth at 0.2 mm
        #expect(abs(estimate.spacing - 0.2) < 0.002)
    }

    @Test func blankFrameIsAnError() {
        #expect(throws: FanDetector.Failure.self) { try FanDetector().detect([Image(width: 10, height: 10)]) }
    }

    /// Ultrasonix C5-2 scan-converted frames: PLUS's scan conversion settings for this probe are
    /// radius 10...82 mm, +-75 deg, transducer centre pixel (410, 87), 0.15 mm/px.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func ultrasonixCurvilinearSector() throws {
        let seq = try SequenceFile.read(PlusData.path("TestImages/UltrasonixCurvilinearScanConvertedData.igs.mha"))
        let region = try FanDetector().detect(seq.frames.map(\.image))
        let fan = try #require(region.fan)
        // Depth from the transducer face = 82 - 10 = 72 mm.
        let estimate = SpacingEstimate(region: region, depth: 72, fileSpacing: seq.pixelSpacing)
        print("ultrasonix: \(region), spacing \(estimate.spacing) mm/px, face centre \(region.faceCentre); warning: \(estimate.warning ?? "none")")
        #expect(abs(fan.startAngleDegrees + 75) < 1 && abs(fan.stopAngleDegrees - 75) < 1)
        #expect(abs(fan.apex.x - 410) < 2)
        #expect(abs(estimate.spacing - 0.15) < 0.0015)
        // The visible data starts ~1.5 px below and ends ~2 px above the nominal radii.
        #expect(abs(region.faceCentre.y - 87) < 3)
        #expect(abs(fan.radiusStart * 0.15 - 10) < 0.4 && abs(fan.radiusStop * 0.15 - 82) < 0.5)
        // The file says 1 mm/px, PLUS's convention (the scale is in ImageToProbe): no false alarm.
        #expect(estimate.warning == nil)
        #expect(estimate.comparison.contains("ElementSpacing 1"))
        #expect(region.confidence.isConfident, "\(region.confidence)")
    }
}
