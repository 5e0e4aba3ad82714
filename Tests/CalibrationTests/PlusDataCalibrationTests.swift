import Foundation
import FreehandTestSupport
import Geometry
import Recordings
import Testing
@testable import Calibration

/// Calibrations on PLUS's recorded test data, compared with PLUS's baseline results.
@Suite struct PlusDataCalibrationTests {
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func phantomLandmarkRegistrationMatchesPlusBaseline() throws {
        let config = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/PlusDeviceSet_fCal_Sim_RecordPhantomLandmarks.xml"))
        let registration = try PhantomLandmarkRegistration(configuration: config)
        #expect(registration.defined.count == 8)
        let tipToStylus = try config.transformRepository().transform(TransformName(from: "StylusTip", to: "Stylus")).matrix
        let sequence = try SequenceFile.read(PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha"))
        var settings = LandmarkDetector.Settings()
        settings.acquisitionRate = 1 / (sequence.frames[1].timestamp - sequence.frames[0].timestamp)
        settings.minimumLandmarkDistance = registration.minimumLandmarkDistance
        var detector = LandmarkDetector(settings: settings)
        for frame in sequence.frames {
            guard let s = try? frame.repository().transform(TransformName(from: "Stylus", to: "Reference")), s.status == .ok else { continue }
            if detector.insert(s.matrix * tipToStylus) != nil, detector.landmarks.count == registration.defined.count { break }
        }
        #expect(detector.landmarks.count == 8)
        let result = try registration.register(recorded: detector.landmarks)

        let baseline = try DeviceSetConfiguration.load(PlusData.path("TestImages/PhantomRegistrationLandmarkDetection.results.xml"))
        let plus = try #require(baseline.coordinateDefinitionDetails.first { $0.name == TransformName(from: "Phantom", to: "Reference") })
        let position = (result.transform.translation - plus.matrix.translation).length
        let orientation = Self.orientationDifferenceDegrees(result.transform, plus.matrix)
        print("landmarks: PhantomToReference position diff \(position) mm, orientation diff \(orientation) deg; error \(result.meanError) vs PLUS \(plus.error ?? -1)")
        print("ours:\n\(result.transform)\nPLUS:\n\(plus.matrix)")
        #expect(position < 0.1)
        #expect(orientation < 0.2)
        #expect(abs(result.meanError - (plus.error ?? 0)) < 0.1)
    }

    /// Angle of the rotation between two transforms' rotation parts (degrees).
    static func orientationDifferenceDegrees(_ a: Transform3D, _ b: Transform3D) -> Double {
        var trace = 0.0
        for i in 0..<3 { for k in 0..<3 { trace += a[k, i] * b[k, i] } }
        return acos(min(1, max(-1, (trace - 1) / 2))) * 180 / .pi
    }
}
