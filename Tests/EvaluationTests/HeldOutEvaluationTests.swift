import Evaluation
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Simulation
import Testing

@Suite struct HeldOutEvaluationTests {
    /// 20 parallel float frames 1 mm apart sampling 50 + 2x + y + 3z (mm), 0.5 mm pixels.
    static func linearFieldSequence() -> TrackedSequence {
        let width = 40, height = 30, pixel = 0.5
        var frames: [TrackedFrame] = []
        for k in 0..<20 {
            let z = Double(k)
            var floats = [Float](repeating: 0, count: width * height)
            for y in 0..<height {
                for x in 0..<width { floats[y * width + x] = Float(50 + 2 * Double(x) * pixel + Double(y) * pixel + 3 * z) }
            }
            let m = Transform3D(linear: [pixel, 0, 0, 0, pixel, 0, 0, 0, 1], translation: SIMD3(0, 0, z))
            let image = Image(width: width, height: height, components: 1, scalarType: .float32, bytes: floats.withUnsafeBytes { Array($0) })
            frames.append(TrackedFrame(image: image, timestamp: z, imageStatus: .ok,
                                       transforms: [TransformName(from: "Image", to: "Reference"): TrackedTransform(matrix: m, status: .ok)]))
        }
        return TrackedSequence(frames: frames, pixelSpacing: SIMD2(1, 1), storedOrientation: .mf)
    }

    /// A sweep of parallel float frames 1 mm apart whose pixels sample a linear intensity field
    /// (50 + 2x + y + 3z, mm): reconstructed with all frames and scored on frames that were also
    /// used, the trajectory and distance-weighted methods reproduce the frames (trilinear
    /// reslicing and box averaging are exact on a linear field; only border voxels clamp).
    @Test func scoringUsedFramesGivesNearZeroError() throws {
        let sequence = Self.linearFieldSequence()
        let evaluation = HeldOutEvaluation(settings: ReconstructionSettings(outputSpacing: SIMD3(repeating: 1)), calibration: TransformRepository(),
                                           methods: [.trajectory, .dw], removal: .fraction(0), threads: 2)
        let report = try evaluation.run(sequence, file: "linear field")
        #expect(report.framesUsed == 20 && report.framesScored == 18)
        for s in report.scores {
            #expect(s.mae.map { $0 < 0.25 } == true, "\(s.method): MAE \(String(describing: s.mae))")
            #expect(s.uncoveredFraction < 0.01, "\(s.method): \(s.uncoveredFraction) uncovered")
        }
    }

    /// Degenerate runs fail with a named cause instead of reporting an empty score: no method,
    /// and no method covering any held-out pixel (VNN limited to 0.01 mm, held-out frames 1 mm
    /// from every used one). A method that covers nothing next to one that does is reported
    /// with no MAE and 100 % uncovered.
    @Test func degenerateRunsThrow() throws {
        let sequence = Self.linearFieldSequence()
        var settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: 1))
        settings.backward.maximumDistance = 0.01
        let none = HeldOutEvaluation(settings: settings, calibration: TransformRepository(), methods: [], removal: .fraction(0.5), threads: 2)
        #expect(throws: EvaluationError.self) { try none.run(sequence, file: "linear field") }
        let vnn = HeldOutEvaluation(settings: settings, calibration: TransformRepository(), methods: [.vnn], removal: .fraction(0.5), threads: 2)
        do {
            _ = try vnn.run(sequence, file: "linear field")
            Issue.record("expected nothingCovered")
        } catch let error as EvaluationError {
            guard case .nothingCovered(let methods, _) = error else { Issue.record("unexpected \(error)"); return }
            #expect(methods == ["vnn"])
        }
    }

    /// Removal patterns keep the ends and remove the asked share.
    @Test func removal() {
        #expect(FrameRemoval("50%")!.removed(count: 10).filter { $0 }.count == 4)
        #expect(FrameRemoval("every-3")!.removed(count: 10) == [false, false, true, false, false, true, false, false, true, false])
        #expect(FrameRemoval("0%")!.removed(count: 5).allSatisfy { !$0 })
        #expect(FrameRemoval("100%") == nil && FrameRemoval("every-1") == nil && FrameRemoval("abc") == nil)
        let r = FrameRemoval("75%")!.removed(count: 101)
        #expect(!r.first! && !r.last! && abs(r.filter { $0 }.count - 75) <= 1)
    }

    /// On a simulated sweep with its phantom, every method reports a ground-truth error, and the
    /// JSON report holds every method.
    @Test func simulatedSweepReportsGroundTruth() throws {
        let sim = SweepSimulator(probe: LinearProbe(width: 64, height: 50, spacing: SIMD2(0.8, 0.8)), frameCount: 30)
        var calibration = TransformRepository()
        calibration.set(TransformName(from: "Image", to: "Probe"), sim.probe.imageToProbe, persistent: true)
        let evaluation = HeldOutEvaluation(settings: ReconstructionSettings(outputSpacing: SIMD3(repeating: 1)), calibration: calibration,
                                           removal: .fraction(0.5), truth: sim.phantom, threads: 2)
        let report = try evaluation.run(sim.makeSequence(), file: "simulated")
        #expect(report.scores.map(\.method) == EvaluationMethod.allCases.map(\.rawValue))
        for s in report.scores {
            #expect(s.truthMAE != nil && (s.mae ?? 0) > 0 && s.pixels > 0, "\(s.method)")
        }
        #expect(report.json.contains("\"truthMAE\""))
        // The floors: the noise-free image is the truth (0 against it) and its held-out error is
        // the held-out frames' own speckle; the phantom averaged into the grid loses detail.
        #expect(report.floors.map(\.method) == ["phantom-image", "phantom-grid"])
        #expect(report.floors[0].truthMAE == 0 && (report.floors[0].mae ?? 0) > 0 && report.floors[1].truthMAE! > 0)
    }
}
