import Foundation
import FreehandTestSupport
import Geometry
import Recordings
import Testing
@testable import Calibration

@Suite struct CalibrationResultsTests {
    @Test func roundTripsThroughDeviceSetConfiguration() throws {
        let tip = Transform3D(rowMajor: [0.000810646, -0.000220466, 1, 210.019, 1, 0, -0.000810646, -0.170252,
                                         1.7872e-007, 1, 0.000220466, 0.0463022, 0, 0, 0, 1])
        let phantom = Transform3D.translation(SIMD3(22.7, -39.75, 25.65)) * Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: -1.5)
        var results = CalibrationResults(comment: "freehand calibrate -- test <&>")
        results.set(.init(name: TransformName(from: "StylusTip", to: "Stylus"), matrix: tip, error: 0.48412, date: "052615_215714"))
        results.set(.init(name: TransformName(from: "Phantom", to: "Reference"), matrix: phantom, error: 0.198))
        results.set(.init(name: TransformName(from: "Stylus", to: "StylusTip"), matrix: tip.inverse!, error: 0.5)) // replaces the first
        results.temporal = .init(trackerLag: -0.0648266, calibrationError: 25.0423, maxCalibrationError: 9.60017)
        let dir = PlusData.temporaryDirectory("calibration-results")
        let path = dir.appendingPathComponent("sub/Calibration.xml").path
        try results.write(to: path)
        let loaded = try DeviceSetConfiguration.load(path)
        #expect(loaded.coordinateDefinitionDetails.count == 2)
        let stylus = try #require(loaded.coordinateDefinitionDetails.first { $0.name == TransformName(from: "Stylus", to: "StylusTip") })
        #expect(stylus.matrix.maxDifference(to: tip.inverse!) < 1e-6)
        #expect(stylus.error == 0.5)
        let reg = try #require(loaded.coordinateDefinitionDetails.first { $0.name == TransformName(from: "Phantom", to: "Reference") })
        #expect(reg.matrix.maxDifference(to: phantom) < 1e-6)
        let temporal = try #require(loaded.root.first("TemporalCalibrationResults"))
        #expect(temporal.numbers("TrackerLagSec") == [-0.0648266])
        #expect(CalibrationResults.dateStamp().count == 13)
    }
}
