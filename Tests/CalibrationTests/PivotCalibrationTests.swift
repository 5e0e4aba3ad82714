import Foundation
import Geometry
import Recordings
import Testing
@testable import Calibration

@Suite struct PivotCalibrationTests {
    /// PLUS baseline StylusCalibration.results.xml: StylusTipToStylus translation and error.
    static let plusTip = SIMD3<Double>(210.019, -0.170252, 0.0463022)
    static let plusError = 0.48412

    @Test func reproducesPlusStylusCalibrationBaseline() throws {
        let (frames, injected) = PlusFakeTracker.frames(count: 200)
        var pivot = PivotCalibration()
        for f in frames {
            let m = try f.repository().transform(TransformName(from: "Stylus", to: "Reference")).matrix
            pivot.insert(m)
        }
        let result = try pivot.calibrate()
        let tipDifference = (result.tipToMarker.translation - Self.plusTip).length
        print("pivot: tip \(result.tipInMarker) vs PLUS \(Self.plusTip): \(tipDifference) mm; error \(result.meanError) vs \(Self.plusError); outliers \(result.outlierIndices.count)/\(injected) injected; spread \(result.rotationSpreadDegrees) deg")
        #expect(tipDifference < 0.5)
        #expect(result.outlierIndices.count >= injected)
        #expect(abs(result.meanError - Self.plusError) < 0.1)
        // Orientation convention of PLUS's baseline: z along the tip, y = z x unitY.
        let baseline = Transform3D(rowMajor: [0.000810646, -0.000220466, 1, 210.019, 1, 0, -0.000810646, -0.170252,
                                              1.7872e-007, 1, 0.000220466, 0.0463022, 0, 0, 0, 1])
        var rotationOnly = result.tipToMarker
        rotationOnly.translation = baseline.translation
        #expect(rotationOnly.maxDifference(to: baseline) < 0.01)
        #expect(result.rotationSpreadDegrees > 60)
    }

    @Test func exactPosesGiveExactTip() throws {
        let tip = SIMD3<Double>(1, 2, 150), pivotPoint = SIMD3<Double>(10, 20, 30)
        var pivot = PivotCalibration()
        for i in 0..<30 {
            let r = Transform3D.rotation(axis: SIMD3(sin(Double(i)), cos(Double(i) * 0.7), 0.5), angle: 0.4 + 0.02 * Double(i))
            var m = r
            m.translation = pivotPoint - r.applyToVector(tip)
            pivot.insert(m)
        }
        let result = try pivot.calibrate()
        #expect((result.tipInMarker - tip).length < 1e-8)
        #expect((result.pivotInReference - pivotPoint).length < 1e-8)
        #expect(result.meanError < 1e-8)
    }

    @Test func refusesTooFewPoses() {
        var pivot = PivotCalibration()
        pivot.insert(.identity)
        #expect(throws: PivotCalibration.Failure.self) { try pivot.calibrate() }
    }
}
