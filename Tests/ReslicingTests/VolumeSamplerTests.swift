import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing

@Suite struct VolumeSamplerTests {
    /// A float volume with a smooth part and a few sharp features, on an oblique grid.
    static func testVolume() -> Volume<Float> {
        let rotation = Transform3D.rotation(axis: SIMD3(0.3, -0.5, 0.8), angle: 0.4)
        var direction = [Double](repeating: 0, count: 9)
        for r in 0..<3 { for c in 0..<3 { direction[r * 3 + c] = rotation[r, c] } }
        let g = VolumeGeometry(dimensions: SIMD3(11, 9, 7), spacing: SIMD3(0.7, 0.9, 1.3), origin: SIMD3(3, -2, 5), direction: direction)
        var v = Volume<Float>(geometry: g)
        var random = SplitMix64(seed: 12)
        for k in 0..<7 { for j in 0..<9 { for i in 0..<11 {
            let smooth = 40 * sin(Double(i) * 0.5) * cos(Double(j) * 0.3) + 3 * Double(k)
            v[i, j, k] = Float(smooth + (random.nextUnit() < 0.1 ? 60 : 0))
        } } }
        return v
    }

    @Test func voxelCentresReproduceTheVoxelsExactly() throws {
        let v = Self.testVolume()
        for interpolation in Interpolation.allCases {
            let s = try VolumeSampler(v, interpolation: interpolation)
            var worst = 0.0
            for k in 0..<7 { for j in 0..<9 { for i in 0..<11 {
                let p = v.geometry.physicalPosition(ofIndex: SIMD3(Double(i), Double(j), Double(k)))
                worst = max(worst, abs(s.value(atPhysical: p) - Double(v[i, j, k])))
            } } }
            // Exact for nearest and linear (fractions snap to 0); cubic goes through Float
            // coefficients: a few float ulps of values below 200.
            #expect(worst <= (interpolation == .cubic ? 2e-4 : 0), "\(interpolation): \(worst)")
        }
    }

    @Test func outsideIsBackgroundAndLinesMatchPoints() throws {
        let v = Self.testVolume()
        let s = try VolumeSampler(v, interpolation: .linear, background: -7)
        #expect(s.value(atIndex: SIMD3(-0.51, 3, 3)) == -7)
        #expect(s.value(atIndex: SIMD3(10.5, 3, 3)) == -7)
        #expect(s.value(atIndex: SIMD3(.nan, 3, 3)) == -7)
        #expect(s.value(atIndex: SIMD3(-0.5, 3, 3)) == Double(v[0, 3, 3]))
        var out = [Double](repeating: 0, count: 40)
        let inside = out.withUnsafeMutableBufferPointer {
            s.sample(fromIndex: SIMD3(-2, 1.25, 2.5), step: SIMD3(0.4, 0.1, 0.05), count: 40, into: $0)
        }
        var expectedInside = 0
        for n in 0..<40 {
            let p = SIMD3(-2, 1.25, 2.5) + Double(n) * SIMD3(0.4, 0.1, 0.05)
            #expect(out[n] == s.value(atIndex: p))
            if s.contains(index: p) { expectedInside += 1 }
        }
        #expect(inside == expectedInside && inside > 20)
    }

    @Test func singularGeometryIsRefused() {
        var v = Self.testVolume()
        v.geometry.spacing.y = 0
        #expect(throws: SamplingError.self) { try VolumeSampler(v, interpolation: .nearest) }
    }

    /// SimpleITK's Resample (ITK's Linear, NearestNeighbor and order-3 BSpline interpolators)
    /// at random physical points, including points near and beyond the border.
    @Test func agreesWithSimpleITK() throws {
        let v = Self.testVolume()
        let folder = PlusData.temporaryDirectory("freehand-sampler")
        let volumePath = folder.appendingPathComponent("v.nrrd").path
        try VolumeFile.write(.float32(v), to: volumePath, compressed: false)
        var random = SplitMix64(seed: 5)
        var points: [SIMD3<Double>] = []
        for _ in 0..<300 {
            let index = SIMD3(random.nextUnit() * 12 - 1, random.nextUnit() * 10 - 1, random.nextUnit() * 8 - 1)
            points.append(v.geometry.physicalPosition(ofIndex: index))
        }
        let pointsPath = folder.appendingPathComponent("points.csv").path
        try points.map { "\($0.x),\($0.y),\($0.z)" }.joined(separator: "\n").write(toFile: pointsPath, atomically: true, encoding: .utf8)
        let script = """
        import sys, SimpleITK as sitk
        image = sitk.ReadImage(sys.argv[1])
        points = [tuple(map(float, l.split(','))) for l in open(sys.argv[2]) if l.strip()]
        modes = {'nearest': sitk.sitkNearestNeighbor, 'linear': sitk.sitkLinear, 'cubic': sitk.sitkBSpline}
        for name, mode in modes.items():
            values = []
            for p in points:
                ref = sitk.Image(1, 1, 1, sitk.sitkFloat64)
                ref.SetOrigin(p)
                values.append(sitk.Resample(image, ref, sitk.Transform(), mode, -7.0, sitk.sitkFloat64)[0, 0, 0])
            print(name, ' '.join(repr(x) for x in values))
        """
        guard let output = Python.run(script, [volumePath, pointsPath]) else { return }
        #expect(!output.hasPrefix("python failed"), "\(output)")
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard let interpolation = Interpolation(rawValue: String(parts[0])) else { continue }
            let expected = parts.dropFirst().compactMap { Double($0) }
            #expect(expected.count == points.count)
            let s = try VolumeSampler(v, interpolation: interpolation, background: -7)
            var worst = 0.0, compared = 0
            for (p, e) in zip(points, expected) {
                let index = s.index(ofPhysical: p)
                // Points within 1e-6 voxel of the inside/outside border may fall either way.
                let margin = zip([index.x, index.y, index.z], [11.0, 9, 7]).map { c, n in min(abs(c + 0.5), abs(c - (n - 0.5))) }.min()!
                if margin < 1e-6 { continue }
                // Nearest: ties between voxels may round differently; skip points within 1e-6 of a tie.
                if interpolation == .nearest, [index.x, index.y, index.z].contains(where: { abs($0 - $0.rounded(.down) - 0.5) < 1e-6 }) { continue }
                worst = max(worst, abs(s.value(atPhysical: p) - e))
                compared += 1
            }
            // Cubic: ITK keeps Double coefficients, Freehand Float ones (relative 6e-8 of values
            // below 200, amplified at most ~4x by the filter): 1e-3 is ample.
            #expect(worst <= (interpolation == .cubic ? 1e-3 : 1e-9), "\(interpolation): max difference \(worst) over \(compared) points")
            #expect(compared > 250)
        }
    }
}
