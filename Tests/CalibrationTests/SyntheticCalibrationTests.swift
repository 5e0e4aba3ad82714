import Foundation
import Geometry
import Testing
@testable import Calibration

/// Calibrations on synthetic data with known answers (no PLUS data needed).
@Suite struct SyntheticCalibrationTests {
    @Test func temporalCalibrationFindsKnownLag() throws {
        // Probe bobbing at ~0.7 Hz with a second harmonic; the tracker reports it 80 ms late.
        let lag = 0.08
        func depth(_ t: Double) -> Double { 15 * sin(2 * .pi * 0.7 * t) + 4 * sin(2 * .pi * 1.9 * t + 1) }
        let videoTimes = stride(from: 0.0, through: 20, by: 0.1).map { $0 }
        let video = TimeSignal(timestamps: videoTimes, values: videoTimes.map { 300 - 5 * depth($0) }) // pixels, inverted
        let trackerTimes = stride(from: 0.0, through: 20, by: 0.02).map { $0 }
        let axis = SIMD3<Double>(0.3, -0.2, 0.93).normalized
        let poses: [(timestamp: Double, pose: Transform3D?)] = trackerTimes.map { t in
            (t, Transform3D.translation(SIMD3(10, 20, 30) + depth(t - lag) * axis))
        }
        let tracker = TemporalCalibration.trackerSignal(poses, in: 0.5...19.5)
        let result = try TemporalCalibration().calibrate(video: video, tracker: tracker)
        #expect(abs(result.trackerLag - lag) < 0.002)
        // Not 0: as in PLUS, the tracker signal is cut 0.5 s short at both ends and held constant
        // there while the video signal covers the whole overlap.
        #expect(result.normalizedRMS < 0.2)
    }

    @Test func temporalCalibrationRejectsFlatSignals() {
        let t = stride(from: 0.0, through: 10, by: 0.1).map { $0 }
        let flat = TimeSignal(timestamps: t, values: t.map { _ in 100 })
        #expect(throws: TemporalCalibration.Failure.self) { try TemporalCalibration().calibrate(video: flat, tracker: flat) }
    }

    @Test func landmarkDetectorFindsPivotedRestingPoints() throws {
        // The stylus tip rests 2 s on each of three points while the shaft swings +-20 degrees.
        let points: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(50, 0, 0), SIMD3(0, 40, 10)]
        var settings = LandmarkDetector.Settings()
        settings.acquisitionRate = 20
        settings.plusCompatibleAveraging = false
        var detector = LandmarkDetector(settings: settings)
        var found: [Int] = []
        for p in points {
            for i in 0..<40 {
                let angle = 0.35 * sin(Double(i) * 0.4)
                var pose = Transform3D.rotation(axis: SIMD3(0, 1, 1), angle: angle)
                pose.translation = p + SIMD3(0.05 * sin(Double(i)), 0, 0) // 0.05 mm jitter
                if let k = detector.insert(pose) { found.append(k) }
            }
            // Moving to the next point: tip travels.
            for i in 0..<10 {
                var pose = Transform3D.identity
                pose.translation = p + Double(i) * SIMD3(3, 3, 0)
                detector.insert(pose)
            }
        }
        #expect(found == [0, 1, 2])
        for (a, b) in zip(detector.landmarks, points) { #expect((a - b).length < 0.1) }
    }
}
