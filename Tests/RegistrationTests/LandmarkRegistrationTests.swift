import Foundation
import FreehandTestSupport
import Geometry
import Registration
import Testing

/// Landmark registration against SimpleITK's `LandmarkBasedTransformInitializer` and scipy's
/// `RBFInterpolator` on the same points.
@Suite struct LandmarkRegistrationTests {
    /// Eight fixed points and moving points = 1.3 x rotated + shifted + noise (so the models differ).
    static let fixed: [SIMD3<Double>] = {
        var rng = SplitMix64(seed: 7)
        return (0..<8).map { _ in SIMD3(rng.nextUnit() * 100 - 50, rng.nextUnit() * 100 - 50, rng.nextUnit() * 60 - 30) }
    }()
    static let moving: [SIMD3<Double>] = {
        var rng = SplitMix64(seed: 11)
        let m = Transform3D.translation(SIMD3(5, -7, 9)) * Transform3D.rotation(axis: SIMD3(1, 2, 3), angle: 0.4) * Transform3D.scaling(SIMD3(repeating: 1.3))
        return fixed.map { m.apply($0) + SIMD3(rng.nextUnit(), rng.nextUnit(), rng.nextUnit()) * 4 - 2 }
    }()

    static func flat(_ points: [SIMD3<Double>]) -> String { points.flatMap { [$0.x, $0.y, $0.z] }.map { "\($0)" }.joined(separator: ",") }

    /// SimpleITK's parameters for `transformClass` on the same points.
    static func simpleITK(_ transformClass: String) -> [Double]? {
        let script = """
        import sys, SimpleITK as sitk
        f = [float(v) for v in sys.argv[1].split(',')]; m = [float(v) for v in sys.argv[2].split(',')]
        init = sitk.LandmarkBasedTransformInitializerFilter(); init.SetFixedLandmarks(f); init.SetMovingLandmarks(m)
        t = init.Execute(sitk.\(transformClass))
        print(' '.join(repr(v) for v in t.GetParameters() + t.GetFixedParameters()))
        """
        return Python.run(script, [flat(fixed), flat(moving)]).map { $0.split(separator: " ").compactMap { Double($0) } }
    }

    @Test(arguments: [LandmarkRegistration.Model.rigid, .similarity])
    func closedFormMatchesSimpleITK(model: LandmarkRegistration.Model) throws {
        let r = try LandmarkRegistration(fixed: Self.fixed, moving: Self.moving, model: model)
        let closed = try #require(r.closedForm)
        // ITK's parameterisation: versor (x, y, z), translation about the centre = fixed centroid, scale.
        let c = Self.fixed.reduce(.zero, +) / Double(Self.fixed.count)
        let t = closed.transform.apply(c) - c
        var ours = [closed.quaternion[1], closed.quaternion[2], closed.quaternion[3], t.x, t.y, t.z]
        if model == .similarity { ours.append(closed.scale) }
        ours += [c.x, c.y, c.z]
        guard let reference = Self.simpleITK(model == .rigid ? "VersorRigid3DTransform()" : "Similarity3DTransform()") else { return }
        #expect(reference.count == ours.count)
        for (a, b) in zip(ours, reference) { #expect(abs(a - b) < 1e-6, "\(model): \(ours) vs SimpleITK \(reference)") }
        #expect(model == .rigid ? closed.scale == 1 : abs(closed.scale - 1.3) < 0.02)
    }

    @Test func affineMatchesSimpleITK() throws {
        let r = try LandmarkRegistration(fixed: Self.fixed, moving: Self.moving, model: .affine)
        let e = try #require(r.transform.matrix).elements
        let ours = [e[0], e[1], e[2], e[4], e[5], e[6], e[8], e[9], e[10], e[3], e[7], e[11], 0, 0, 0]
        guard let reference = Self.simpleITK("AffineTransform(3)") else { return }
        #expect(reference.count == ours.count)
        for (a, b) in zip(ours, reference) { #expect(abs(a - b) < 1e-6, "affine: \(ours) vs SimpleITK \(reference)") }
        // Fiducial errors are the residuals; leaving a point out can only do worse on it.
        #expect(r.fiducialErrors.count == 8 && r.fiducialErrors.allSatisfy { $0 < 4 })
        let loo = try #require(r.leaveOneOutErrors)
        #expect(zip(loo, r.fiducialErrors).allSatisfy { $0 >= $1 - 1e-9 })
    }

    @Test(arguments: ThinPlateSpline.Kernel.allCases)
    func thinPlateInterpolatesAndMatchesScipy(kernel: ThinPlateSpline.Kernel) throws {
        let spline = try ThinPlateSpline(source: Self.fixed, target: Self.moving, kernel: kernel)
        for (s, t) in zip(Self.fixed, Self.moving) {
            let d = spline.apply(s) - t
            #expect((d * d).sum().squareRoot() < 1e-6, "landmark not mapped exactly")
        }
        var rng = SplitMix64(seed: 99)
        let probes = (0..<1000).map { _ in SIMD3(rng.nextUnit() * 140 - 70, rng.nextUnit() * 140 - 70, rng.nextUnit() * 100 - 50) }
        // scipy: 'linear' is U(r) = -r (ITK's 3-D thin-plate kernel up to sign), degree-1 polynomial.
        let scipyKernel = kernel == .r ? "linear" : "thin_plate_spline"
        let script = """
        import sys, numpy as np
        from scipy.interpolate import RBFInterpolator
        f = np.array([float(v) for v in sys.argv[1].split(',')]).reshape(-1, 3)
        m = np.array([float(v) for v in sys.argv[2].split(',')]).reshape(-1, 3)
        p = np.array([float(v) for v in sys.argv[3].split(',')]).reshape(-1, 3)
        y = RBFInterpolator(f, m, kernel='\(scipyKernel)', degree=1, smoothing=0.0)(p)
        print(' '.join(repr(float(v)) for v in y.ravel()))
        """
        guard let out = Python.run(script, [Self.flat(Self.fixed), Self.flat(Self.moving), Self.flat(probes)]) else { return }
        let values = out.split(separator: " ").compactMap { Double($0) }
        try #require(values.count == 3000, "\(out.prefix(300))")
        var worst = 0.0
        for (i, p) in probes.enumerated() {
            let d = spline.apply(p) - SIMD3(values[3 * i], values[3 * i + 1], values[3 * i + 2])
            worst = max(worst, (d * d).sum().squareRoot())
        }
        print("thin-plate \(kernel) vs scipy RBFInterpolator(\(scipyKernel)) at 1,000 points: max difference \(worst) mm")
        #expect(worst < 1e-6)
    }

    @Test func itkFilesRoundTrip() throws {
        let dir = PlusData.temporaryDirectory("freehand-reg")
        defer { try? FileManager.default.removeItem(at: dir) }
        for model in LandmarkRegistration.Model.allCases {
            let r = try LandmarkRegistration(fixed: Self.fixed, moving: Self.moving, model: model)
            let path = dir.appendingPathComponent("\(model.rawValue).tfm").path
            try TransformFile.writeITK(r.transform, to: path)
            let back = try ITKTransformFile.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
            #expect(back.count == 1)
            for p in Self.fixed { let d = back[0].apply(p) - r.transform.apply(p); #expect((d * d).sum() < 1e-18) }
            if model != .thinPlate, let out = Python.run("import sys, SimpleITK as s; print(repr(s.ReadTransform(sys.argv[1]).TransformPoint((1.0, 2.0, 3.0))))", [path]) {
                let q = r.transform.apply(SIMD3(1, 2, 3))
                let v = out.dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                #expect(v.count == 3 && abs(v[0] - q.x) < 1e-9 && abs(v[1] - q.y) < 1e-9 && abs(v[2] - q.z) < 1e-9, "\(out)")
            }
        }
    }

    @Test func badInputGetsClearErrors() throws {
        #expect(throws: RegistrationError.pointCountMismatch(fixed: 8, moving: 7)) {
            try LandmarkRegistration(fixed: Self.fixed, moving: Array(Self.moving.dropLast()), model: .rigid)
        }
        let line = (0..<5).map { SIMD3(Double($0), 2 * Double($0), 0) }
        #expect(throws: RegistrationError.self) { try LandmarkRegistration(fixed: line, moving: line, model: .rigid) }
        let plane = (0..<6).map { SIMD3(Double($0 % 3), Double($0 / 3), 0) }
        #expect(throws: RegistrationError.self) { try LandmarkRegistration(fixed: plane, moving: plane, model: .affine) }
        #expect(throws: RegistrationError.self) { try LandmarkRegistration(fixed: plane, moving: plane, model: .thinPlate) }
        #expect(throws: RegistrationError.self) { try ITKTransformFile.parse("#Insight Transform File V1.0\nTransform: BSplineTransform_double_3_3\nParameters: 1\n", file: "x.tfm") }
    }
}
