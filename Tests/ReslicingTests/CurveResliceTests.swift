import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Reslicing
import Testing

@Suite struct CurveResliceTests {
    /// A straight curve along z through voxel centres, slices the size of the volume's xy
    /// plane at its spacing, step = z spacing: slice k must be axial slice k exactly, both in
    /// memory and through the written sequence and straightened volume.
    @Test(arguments: [Interpolation.nearest, .linear])
    func straightCurveReproducesTheAxialSlicesExactly(_ interpolation: Interpolation) throws {
        let v = ResliceSupport.randomVolume()
        let g = v.geometry
        let centre = g.origin + SIMD3(Double(g.dimensions.x - 1) / 2 * g.spacing.x, Double(g.dimensions.y - 1) / 2 * g.spacing.y, 0)
        let top = centre + SIMD3(0, 0, Double(g.dimensions.z - 1) * g.spacing.z)
        let curve = ResliceSupport.curve([centre, centre + 0.37 * (top - centre), top])
        let setup = try CurveReslicing(curve: curve, file: "straight", volume: g, step: g.spacing.z,
                                       size: SIMD2(g.dimensions.x, g.dimensions.y), spacing: SIMD2(g.spacing.x, g.spacing.y))
        #expect(setup.poses.count == g.dimensions.z)
        let reslicer = try Reslicer(volume: .uint8(v), interpolation: interpolation, threads: 2)
        let folder = ResliceSupport.folder("straight-\(interpolation)")
        let slicesPath = folder.appendingPathComponent("slices.igs.mha").path
        let straightPath = folder.appendingPathComponent("straight.nrrd").path
        let report = try ResliceFlow.run(reslicer: reslicer, poses: setup.poses, geometry: setup.slice,
                                         outputs: ResliceOutputs(slices: slicesPath, straightened: straightPath),
                                         straightened: setup.mapping.straightenedGeometry)
        #expect(report.emptySlices == 0 && report.outsideRuns.isEmpty)
        let plane = g.dimensions.x * g.dimensions.y
        let sequence = try SequenceFile.read(slicesPath)
        #expect(sequence.frames.count == g.dimensions.z)
        var worst = 0
        for (k, frame) in sequence.frames.enumerated() {
            let axial = Array(v.voxels[(k * plane)..<((k + 1) * plane)])
            worst = max(worst, zip(frame.image.bytes, axial).map { abs(Int($0) - Int($1)) }.max()!)
        }
        #expect(worst == 0, "max difference \(worst)")
        guard case .uint8(let straight) = try VolumeFile.read(straightPath) else { Issue.record("straightened volume is not 8-bit"); return }
        #expect(straight.voxels == v.voxels)
        #expect(straight.geometry.spacing == g.spacing)
    }

    /// The curve's frames do not twist: along a planar arc the slice x axis stays normal to
    /// the arc's plane, and along a helix the frames are rotation-minimising (the twist rate
    /// about the tangent, x' . y, vanishes).
    @Test func framesAreRotationMinimising() throws {
        let g = VolumeGeometry(dimensions: SIMD3(10, 10, 10), spacing: SIMD3(1, 1, 1), origin: .zero)
        let arc = (0...8).map { i -> SIMD3<Double> in
            let a = Double(i) / 8 * Double.pi
            return SIMD3(20 * cos(a), 20 * sin(a), 0)
        }
        let path = try CurvePath(points: arc, step: 0.5, up: SIMD3(0, 0, 1), volume: g, file: "arc")
        for f in path.frames {
            #expect(abs(f.xAxis.z) < 1e-6 || abs(abs(f.yAxis.z) - 1) < 1e-6)
            #expect(abs((f.xAxis * f.tangent).sum()) < 1e-9 && abs((f.yAxis * f.tangent).sum()) < 1e-9)
        }
        let helix = try CurvePath(points: helixControlPoints(), step: 0.25, up: nil, volume: g, file: "helix")
        var worstTwist = 0.0
        for k in 1..<helix.frames.count {
            let a = helix.frames[k - 1], b = helix.frames[k]
            worstTwist = max(worstTwist, abs(((b.xAxis - a.xAxis) * (a.yAxis + b.yAxis) / 2).sum()) / helix.step)
        }
        // A frame that followed the Frenet normal of this helix would turn at its torsion,
        // 2 pi 20 / (2 pi 12)^2 + 20^2) = 0.022 rad/mm; rotation-minimising frames do not.
        print("helix frames: largest twist rate \(worstTwist) rad/mm")
        #expect(worstTwist < 1e-4)
    }

    func helixControlPoints() -> [SIMD3<Double>] {
        (0...18).map { i in
            let a = Double(i) / 12 * 2 * Double.pi
            return SIMD3(12 * cos(a), 12 * sin(a), 20 * Double(i) / 12)
        }
    }

    @Test func equalArcLengthSteps() throws {
        let g = VolumeGeometry(dimensions: SIMD3(10, 10, 10), spacing: SIMD3(1, 1, 1), origin: .zero)
        let points: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(10, 2, 0), SIMD3(13, 9, 4), SIMD3(30, 9, 8)]
        let path = try CurvePath(points: points, step: 0.1, up: nil, volume: g, file: "c")
        // Chords of 0.1 mm arcs on a curve of radius >= a few mm differ from 0.1 by < 1e-5.
        var worst = 0.0
        for k in 1..<path.frames.count {
            let d = path.frames[k].centre - path.frames[k - 1].centre
            worst = max(worst, abs((d * d).sum().squareRoot() - 0.1))
        }
        print("equal arc length: \(path.frames.count) samples, worst chord error \(worst) mm, length \(path.length) mm")
        #expect(worst < 1e-4)
        #expect(path.frames.first!.centre == points[0])
        // The Slicer-style spline passes through every control point.
        let spline = CurveSpline(points: points)
        for s in 0..<spline.segmentCount {
            #expect(spline.position(segment: s, u: 0) == points[s])
            let end = spline.position(segment: s, u: 1) - points[s + 1]
            #expect((end * end).sum() < 1e-20)
        }
    }

    @Test func badCurvesAreRefusedWithClearErrors() throws {
        let g = VolumeGeometry(dimensions: SIMD3(10, 10, 10), spacing: SIMD3(1, 1, 1), origin: .zero)
        #expect(throws: ResliceError.tooFewPoints(file: "one", count: 1)) {
            try CurvePath(points: [SIMD3(1, 1, 1)], step: 1, up: nil, volume: g, file: "one")
        }
        #expect(throws: ResliceError.repeatedPoint(file: "rep", index: 2, label: "C")) {
            try CurvePath(points: [SIMD3(1, 1, 1), SIMD3(2, 2, 2), SIMD3(2, 2, 2)], step: 1, up: nil, volume: g, file: "rep", labels: ["A", "B", "C"])
        }
        #expect(throws: ResliceError.self) { try CurvePath(points: [SIMD3(1, 1, 1), SIMD3(2, 2, 2)], step: 0, up: nil, volume: g, file: "z") }
        #expect(throws: ResliceError.self) { try CurvePath(points: [SIMD3(0, 0, 0), SIMD3(0, 0, 5)], step: 1, up: SIMD3(0, 0, 2), volume: g, file: "u") }
        // A curve far outside the volume: nothing is written and the error says so.
        let v = ResliceSupport.randomVolume()
        let setup = try CurveReslicing(curve: ResliceSupport.curve([SIMD3(500, 500, 500), SIMD3(500, 500, 520)]), file: "far",
                                       volume: v.geometry, size: SIMD2(16, 16))
        let out = ResliceSupport.folder("outside").appendingPathComponent("far.igs.mha").path
        #expect(throws: ResliceError.outsideVolume(what: "the curve far")) {
            try ResliceFlow.run(reslicer: try Reslicer(volume: .uint8(v), interpolation: .linear), poses: setup.poses, geometry: setup.slice,
                                outputs: ResliceOutputs(slices: out), what: "the curve far")
        }
        #expect(!FileManager.default.fileExists(atPath: out) && !FileManager.default.fileExists(atPath: out + ".partial"))
        // A curve leaving the volume: zero-filled slices and the outside run reported.
        let g2 = v.geometry
        let inside = g2.origin + SIMD3(8, 8, 2)
        let partial = try CurveReslicing(curve: ResliceSupport.curve([inside, inside + SIMD3(0, 0, 60)]), file: "leaving",
                                         volume: g2, step: 1, size: SIMD2(8, 8))
        let report = try ResliceFlow.run(reslicer: try Reslicer(volume: .uint8(v), interpolation: .linear), poses: partial.poses,
                                         geometry: partial.slice, outputs: ResliceOutputs(slices: out))
        #expect(report.outsideRuns.count == 1 && report.outsideRuns[0].upperBound == partial.poses.count - 1)
        #expect(report.emptySlices > 30)
    }
}
