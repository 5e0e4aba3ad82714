import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Registration
import Resampling
import Simulation
import Testing

/// `freehand resample`: transforms composed and applied in one interpolation.
@Suite struct ResampleOnceTests {
    /// The simulator's standard phantom (noise-free) on a 0.5 mm grid, uint8.
    static func phantom(at path: String) throws {
        let g = VolumeGeometry(dimensions: SIMD3(100, 80, 120), spacing: SIMD3(0.5, 0.5, 0.5), origin: SIMD3(-25, 0, 0))
        let truth = Phantom.standard.groundTruth(on: g)
        try VolumeFile.write(.uint8(Volume(geometry: g, voxels: truth.voxels.map { UInt8(max(0, min(255, $0.rounded()))) })), to: path)
    }

    static func matrixText(_ m: Transform3D) -> String {
        (0..<4).map { r in (0..<4).map { "\(m[r, $0])" }.joined(separator: " ") }.joined(separator: "\n") + "\n"
    }

    /// A rotation of `degrees` about `axis` through `centre` (moves the volume).
    static func rotation(_ axis: SIMD3<Double>, _ degrees: Double, about centre: SIMD3<Double>, shift: SIMD3<Double> = .zero) -> Transform3D {
        .translation(centre + shift) * .rotation(axis: axis, angle: degrees * .pi / 180) * .translation(-centre)
    }

    /// Three kinds of transform file (4x4 text, ITK .tfm with a centre, PLUS device set), composed
    /// by Freehand and by SimpleITK's CompositeTransform, each resampled once (linear).
    @Test func composedMatchesSimpleITKCompositeTransform() throws {
        let dir = PlusData.temporaryDirectory("freehand-resample")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("phantom.nrrd").path
        try Self.phantom(at: input)
        let centre = SIMD3<Double>(0, 20, 30)
        let t1 = Self.rotation(SIMD3(1, 0, 0), 17, about: centre, shift: SIMD3(1.3, -0.7, 2.1))
        try Self.matrixText(t1).write(toFile: dir.appendingPathComponent("t1.txt").path, atomically: true, encoding: .utf8)
        // ITK file: resampling direction, with a non-zero centre in FixedParameters.
        let r2 = Transform3D.rotation(axis: SIMD3(0, 1, 1), angle: 0.3)
        let tfm = """
        #Insight Transform File V1.0
        #Transform 0
        Transform: AffineTransform_double_3_3
        Parameters: \((0..<3).flatMap { r in (0..<3).map { r2[r, $0] } }.map { "\($0)" }.joined(separator: " ")) 0.5 -1.25 2
        FixedParameters: 0 20 30

        """
        try tfm.write(toFile: dir.appendingPathComponent("t2.tfm").path, atomically: true, encoding: .utf8)
        let t3 = Self.rotation(SIMD3(0, 0, 1), -11, about: centre, shift: SIMD3(0.4, 0.9, -1.6))
        let config = """
        <PlusConfiguration><CoordinateDefinitions>
        <Transform From="Phantom" To="World" Matrix="\((0..<16).map { "\(t3.elements[$0])" }.joined(separator: " "))"/>
        </CoordinateDefinitions></PlusConfiguration>
        """
        try config.write(toFile: dir.appendingPathComponent("set.xml").path, atomically: true, encoding: .utf8)
        let specs = ["t1.txt", "t2.tfm", "set.xml:PhantomToWorld"].map { dir.appendingPathComponent($0).path }
        let chain = try TransformFile.resamplingChain(applying: specs)
        #expect(chain.steps.count == 1, "three linear transforms compose into one matrix")
        let output = dir.appendingPathComponent("once.nrrd").path
        let report = try Resampler(chain: chain, grid: .spacing(SIMD3(repeating: 0.5), size: nil)).run(input: input, output: output)
        #expect(report.blockFactors == .one)
        let script = """
        import sys, numpy as np, SimpleITK as sitk
        d = sys.argv[1]
        moving = sitk.ReadImage(d + '/phantom.nrrd'); ours = sitk.ReadImage(d + '/once.nrrd')
        def inverse_of_matrix(m):
            a = sitk.AffineTransform(3); a.SetMatrix(m[:3, :3].ravel().tolist()); a.SetTranslation(m[:3, 3].tolist()); return a.GetInverse()
        m1 = np.loadtxt(d + '/t1.txt')
        import xml.etree.ElementTree as ET
        m3 = np.array([float(v) for v in ET.parse(d + '/set.xml').getroot().find('CoordinateDefinitions/Transform').get('Matrix').split()]).reshape(4, 4)
        composite = sitk.CompositeTransform([inverse_of_matrix(m1), sitk.ReadTransform(d + '/t2.tfm'), inverse_of_matrix(m3)])
        ref = sitk.Resample(moving, ours, composite, sitk.sitkLinear, 0.0, moving.GetPixelID())
        a = sitk.GetArrayFromImage(ours).astype(float); b = sitk.GetArrayFromImage(ref).astype(float)
        diff = np.abs(a - b)
        print(float((diff <= 1).mean()), float(diff.max()), a.size)
        """
        guard let out = Python.run(script, [dir.path]) else { return }
        let v = out.split(separator: " ").compactMap { Double($0) }
        try #require(v.count == 3, "\(out)")
        print("resample once vs SimpleITK CompositeTransform (linear): \(v[0] * 100) % of \(Int(v[2])) voxels within 1 grey level, max difference \(v[1])")
        #expect(v[0] >= 0.999)
    }

    /// Edge width of the bright sphere (radius 6 mm): resampled once through three rotations about
    /// its centre, or three times one rotation each. The sphere is invariant, so any widening is blur.
    @Test func resampleOnceKeepsEdgesSharper() throws {
        let dir = PlusData.temporaryDirectory("freehand-resample-edge")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("phantom.nrrd").path
        try Self.phantom(at: input)
        let centre = SIMD3<Double>(-10, 15, 20)
        let rotations = [(SIMD3<Double>(1, 0, 0), 17.0), (SIMD3(0, 1, 0), 23.0), (SIMD3(0, 0, 1), -31.0)]
        var specs: [String] = []
        for (n, (axis, degrees)) in rotations.enumerated() {
            let path = dir.appendingPathComponent("r\(n).txt").path
            try Self.matrixText(Self.rotation(axis, degrees, about: centre)).write(toFile: path, atomically: true, encoding: .utf8)
            specs.append(path)
        }
        let grid = OutputGrid.reference(try VolumeSlabReader.geometry(input))
        let once = dir.appendingPathComponent("once.nrrd").path
        _ = try Resampler(chain: try TransformFile.resamplingChain(applying: specs), grid: grid).run(input: input, output: once)
        var current = input
        for (n, spec) in specs.enumerated() {
            let next = dir.appendingPathComponent("step\(n).nrrd").path
            _ = try Resampler(chain: try TransformFile.resamplingChain(applying: [spec]), grid: grid).run(input: current, output: next)
            current = next
        }
        let widthOnce = try Self.edgeWidth(once, centre: centre), widthThree = try Self.edgeWidth(current, centre: centre)
        let widthInput = try Self.edgeWidth(input, centre: centre)
        print("sphere edge width (10-90 %, mm): input \(widthInput), resampled once \(widthOnce), three times \(widthThree)")
        #expect(widthOnce < widthThree)
    }

    /// Strong downsampling: block average (anti-aliasing) then one linear interpolation equals
    /// SimpleITK's BinShrink followed by a linear Resample onto the same grid.
    @Test func antiAliasingMatchesSimpleITKBinShrink() throws {
        let dir = PlusData.temporaryDirectory("freehand-resample-aa")
        defer { try? FileManager.default.removeItem(at: dir) }
        let g = VolumeGeometry(dimensions: SIMD3(64, 50, 36), spacing: SIMD3(0.1, 0.1, 0.15), origin: SIMD3(2, -3, 1))
        var rng = SplitMix64(seed: 3)
        let voxels = (0..<g.voxelCount).map { _ in UInt16(rng.nextUnit() * 4000) }
        let input = dir.appendingPathComponent("noise.mha").path
        try VolumeFile.write(.uint16(Volume(geometry: g, voxels: voxels)), to: input)
        let output = dir.appendingPathComponent("small.mha").path
        let report = try Resampler(chain: TransformChain(), grid: .spacing(SIMD3(0.4, 0.4, 0.5), size: nil)).run(input: input, output: output)
        #expect(report.blockFactors == SIMD3(4, 4, 3))
        let script = """
        import sys, numpy as np, SimpleITK as sitk
        moving = sitk.Cast(sitk.ReadImage(sys.argv[1]), sitk.sitkFloat64); ours = sitk.ReadImage(sys.argv[2])
        shrunk = sitk.BinShrink(moving, [4, 4, 3])
        ref = sitk.Resample(shrunk, ours, sitk.Transform(), sitk.sitkLinear, 0.0, sitk.sitkFloat64)
        a = sitk.GetArrayFromImage(ours).astype(float); b = np.rint(sitk.GetArrayFromImage(ref))
        d = np.abs(a - b); print(float((d <= 1).mean()), float(d.max()))
        """
        guard let out = Python.run(script, [input, output]) else { return }
        let v = out.split(separator: " ").compactMap { Double($0) }
        try #require(v.count == 2, "\(out)")
        #expect(v[0] >= 0.999 && v[1] <= 1, "\(out)")
    }

    /// Mean 10-90 % rise distance along 200 rays from `centre` (intensities 200 inside, 60 outside).
    static func edgeWidth(_ path: String, centre: SIMD3<Double>) throws -> Double {
        guard case .uint8(let v) = try VolumeFile.read(path) else { throw RecordingError.unknownFormat(file: path) }
        let sampler = try VolumeSampler(v, interpolation: .linear)
        var rng = SplitMix64(seed: 5)
        var total = 0.0
        for _ in 0..<200 {
            var d = SIMD3(rng.nextUnit() - 0.5, rng.nextUnit() - 0.5, rng.nextUnit() - 0.5)
            d /= (d * d).sum().squareRoot()
            var inner = 0.0, outer = 0.0
            for s in stride(from: 3.0, through: 9.0, by: 0.01) {
                let value = sampler.value(atPhysical: centre + s * d)
                if value >= 60 + 0.9 * 140 { inner = s }
                if value >= 60 + 0.1 * 140 { outer = s }
            }
            total += outer - inner
        }
        return total / 200
    }
}
