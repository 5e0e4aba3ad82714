import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Reconstruction
import Recordings
import Reslicing
import Simulation
import Testing

@Suite struct PoseResliceTests {
    /// "Reverse volume reconstruction": reconstruct the simulator's sweep, reslice the volume at
    /// the sweep's own poses (read back from the written recording), and compare each frame
    /// with the original frame and with the noise-free ground-truth frame, over the whole
    /// frame (the simulated linear probe has no fan; its clip rectangle is the frame).
    @Test func resliceAtTheSweepPosesReturnsTheFrames() throws {
        var phantom = Phantom.standard
        phantom.speckle = 0.2
        let probe = LinearProbe(width: 128, height: 100, spacing: SIMD2(0.4, 0.4))
        let simulator = SweepSimulator(phantom: phantom, probe: probe, frameCount: 120)
        var clean = simulator
        clean.phantom.speckle = 0
        let folder = ResliceSupport.folder("poses")
        let recording = folder.appendingPathComponent("sweep.igs.mha").path
        try SequenceFile.write(simulator.makeSequence(), to: recording)
        var calibration = TransformRepository()
        calibration.set(TransformName(from: "Image", to: "Probe"), probe.imageToProbe, persistent: true)
        var settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: 0.4))
        settings.fillHoles = true
        settings.holeFilling = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)]
        let volume = try RecordingReconstruction(settings: settings, calibration: calibration).run(path: recording).volume

        let recorded = try RecordedPoses(path: recording, calibration: calibration, name: settings.imageToReferenceName)
        #expect(recorded.poses.count == 120 && recorded.invalidCount == 0)
        #expect(recorded.geometry.width == 128 && recorded.geometry.height == 100)
        #expect(abs(recorded.geometry.spacing.x - 0.4) < 1e-12 && abs(recorded.geometry.spacing.y - 0.4) < 1e-12)
        let originals = (0..<120).map { simulator.renderImage(frame: $0).bytes }
        let truths = (0..<120).map { clean.renderImage(frame: $0).bytes }
        let out = folder.appendingPathComponent("resliced.igs.mha").path
        var results: [String] = []
        var mae: [Interpolation: (original: Double, truth: Double)] = [:]
        for interpolation in Interpolation.allCases {
            _ = try ResliceFlow.run(reslicer: try Reslicer(volume: volume, interpolation: interpolation), poses: recorded.poses,
                                    geometry: recorded.geometry, outputs: ResliceOutputs(slices: out))
            let resliced = try SequenceFile.read(out)
            #expect(resliced.frames.count == 120)
            var original = 0.0, truth = 0.0, n = 0.0
            for (i, frame) in resliced.frames.enumerated() {
                let m = try #require(frame.transforms[TransformName(from: "Image", to: "Reference")])
                #expect(m.matrix.maxDifference(to: simulator.imageToReference(frame: i)) < 1e-9)
                #expect(abs(frame.timestamp - simulator.frame(i).timestamp) < 1e-9)
                let a = frame.image.bytes, b = originals[i], c = truths[i]
                for p in a.indices {
                    original += abs(Double(a[p]) - Double(b[p]))
                    truth += abs(Double(a[p]) - Double(c[p]))
                }
                n += Double(a.count)
            }
            results.append("\(interpolation): MAE to original frames \(original / n), to noise-free frames \(truth / n)")
            mae[interpolation] = (original / n, truth / n)
        }
        print("reslice at sweep poses (120 frames of 128x100, volume 0.4 mm, 8-bit grey levels):\n  " + results.joined(separator: "\n  "))
        // Measured: nearest 0.71 / 10.38, linear 7.54 / 6.83, cubic 7.16 / 9.55. At 0.4 mm voxels
        // (the pixel size, frames 0.43 mm apart) the voxel nearest each pixel was pasted from that
        // very frame, so nearest returns the frames almost unchanged; linear averages neighbouring
        // frames, which removes speckle (closer to the noise-free truth than to the original);
        // cubic keeps more of the speckle. Bounds: the measurements plus 40 %.
        #expect(mae[.nearest]!.original < 1.0)
        #expect(mae[.linear]!.truth < mae[.linear]!.original && mae[.linear]!.truth < 9.6)
        #expect(mae.values.allSatisfy { $0.truth < 14.6 && $0.original < 10.6 })
    }

    /// The Slicer `.seq.nrrd` output read with pynrrd (independent of Freehand): sizes, kinds,
    /// per-frame timestamps (`axis 3 index values`) and per-frame ImageToReference fields put
    /// every slice centre on the curve, with the requested pixel spacing, and the pixels match.
    @Test func slicerSequenceHasPerFrameGeometry() throws {
        let v = ResliceSupport.randomVolume()
        let start = v.geometry.origin + SIMD3(3, 4, 2), direction = SIMD3(0.3, 0.2, 1.0) / (0.09 + 0.04 + 1).squareRoot()
        let setup = try CurveReslicing(curve: ResliceSupport.curve([start, start + 12 * direction]), file: "line", volume: v.geometry,
                                       step: 0.75, size: SIMD2(9, 7), spacing: SIMD2(0.5, 0.6))
        let folder = ResliceSupport.folder("seqnrrd")
        let path = folder.appendingPathComponent("slices.seq.nrrd").path
        _ = try ResliceFlow.run(reslicer: try Reslicer(volume: .uint8(v), interpolation: .linear), poses: setup.poses,
                                geometry: setup.slice, outputs: ResliceOutputs(slices: path))
        var sums: [Int] = []
        try Reslicer(volume: .uint8(v), interpolation: .linear).run(poses: setup.poses, geometry: setup.slice) { _, s in
            sums.append(s.image.bytes.reduce(0) { $0 + Int($1) })
        }
        let script = """
        import sys, nrrd, numpy as np
        data, h = nrrd.read(sys.argv[1])
        start = np.array([float(x) for x in sys.argv[2].split(',')]); d = np.array([float(x) for x in sys.argv[3].split(',')])
        step = float(sys.argv[4]); sums = [int(x) for x in sys.argv[5].split(',')]
        n = len(sums)
        assert list(h['sizes']) == [9, 7, 1, n], h['sizes']
        assert list(h['kinds']) == ['domain', 'domain', 'domain', 'list'], h['kinds']
        stamps = [float(x) for x in h['axis 3 index values'].split()]
        assert np.allclose(stamps, [k * step for k in range(n)], atol=1e-9), stamps
        worst = 0.0
        for k in range(n):
            m = np.array([float(x) for x in h['Seq_Frame%04d_ImageToReferenceTransform' % k].split()]).reshape(4, 4)
            centre = m @ np.array([4.0, 3.0, 0.0, 1.0])
            worst = max(worst, np.linalg.norm(centre[:3] - (start + k * step * d)))
            assert abs(np.linalg.norm(m[:3, 0]) - 0.5) < 1e-12 and abs(np.linalg.norm(m[:3, 1]) - 0.6) < 1e-12
            assert abs(np.dot(m[:3, 0], d)) < 1e-9 and abs(np.dot(m[:3, 1], d)) < 1e-9
            assert int(data[:, :, 0, k].astype(np.int64).sum()) == sums[k], k
        print('ok', n, worst)
        """
        let arguments = [path, "\(start.x),\(start.y),\(start.z)", "\(direction.x),\(direction.y),\(direction.z)", "0.75",
                         sums.map(String.init).joined(separator: ",")]
        guard let output = Python.run(script, arguments) else { return }
        print("pynrrd: \(output)")
        let parts = output.split(separator: " ")
        #expect(parts.first == "ok", "\(output)")
        #expect(parts.count == 3 && Int(parts[1]) == setup.poses.count && (Double(parts[2]) ?? 1) < 1e-9)
    }
}
