import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Reconstruction
import Recordings
import Reslicing
import Simulation
import Testing

/// The helix tube phantom straightened along its centreline, the label round trip through
/// reconstruction, and the point round trip.
@Suite struct HelixStraighteningTests {
    static let phantom = Phantom.helixTube()   // radius 12, pitch 20, 1.5 turns, tube radius 2.5
    /// 0.5 mm ground-truth volume around the helix.
    static let volume: Volume<Float> = {
        let g = VolumeGeometry(dimensions: SIMD3(65, 65, 77), spacing: SIMD3(0.5, 0.5, 0.5), origin: SIMD3(-16, -16, -4))
        return phantom.groundTruth(on: g)
    }()
    /// Control points as a user would click them: 24 per turn on the centreline.
    static let curve = ResliceSupport.curve(Phantom.helixPoints(center: .zero, radius: 12, pitch: 20, turns: 1.5, pointsPerTurn: 24))
    static let setup = try! CurveReslicing(curve: curve, file: "helix", volume: volume.geometry, size: SIMD2(25, 25))

    /// Every straightened slice shows the tube's cross-section centred: the centroid of the
    /// bright pixels stays within one voxel (0.5 mm) of the curve over the whole length.
    @Test func straightenedHelixIsAStraightTube() throws {
        let reslicer = try Reslicer(volume: .float32(Self.volume), interpolation: .linear)
        let s = Self.setup
        var worst = 0.0, sum = 0.0
        let centre = s.slice.centrePixel
        try reslicer.run(poses: s.poses, geometry: s.slice) { k, slice in
            var n = 0.0, c = SIMD2<Double>.zero
            for y in 0..<slice.image.height {
                for x in 0..<slice.image.width where slice.image.value(x: x, y: y) > 130 {
                    n += 1
                    c += SIMD2(Double(x), Double(y))
                }
            }
            let offset = (c / n - centre) * s.slice.spacing
            let d = (offset * offset).sum().squareRoot()
            worst = max(worst, d)
            sum += d
            #expect(n > 50, "slice \(k): \(n) tube pixels")
        }
        print("helix straightening: \(s.poses.count) slices over \(s.path.length) mm; centreline deviation max \(worst) mm, mean \(sum / Double(s.poses.count)) mm (voxel 0.5 mm)")
        #expect(worst < 0.5)
    }

    /// Points: straightened -> original -> straightened, and original -> straightened ->
    /// original, both within 0.01 mm.
    @Test func pointsRoundTrip() throws {
        let m = Self.setup.mapping
        var random = SplitMix64(seed: 9)
        var worstStraight = 0.0, worstOriginal = 0.0
        for _ in 0..<500 {
            let q = SIMD3(random.uniform(-5...5), random.uniform(-5...5), random.uniform(0...Self.setup.path.frames.last!.arcLength))
            let p = m.toOriginal(q)
            let back = try #require(m.toStraightened(p))
            worstStraight = max(worstStraight, ((back - q) * (back - q)).sum().squareRoot())
            let again = m.toOriginal(back)
            worstOriginal = max(worstOriginal, ((again - p) * (again - p)).sum().squareRoot())
        }
        print("point round trip: straightened \(worstStraight) mm, original \(worstOriginal) mm (500 points)")
        #expect(worstStraight < 0.01 && worstOriginal < 0.01)
        // Through the markups files, as --map-points does.
        let folder = ResliceSupport.folder("points")
        let list = ResliceSupport.curve([SIMD3(1, -2, 5), SIMD3(0, 3, 20.25)])
        let original = try Self.setup.map(list, to: .original, file: "in")
        let path = folder.appendingPathComponent("original.mrk.json").path
        try MarkupsFile.write([original], to: path)
        let back = try Self.setup.map(try MarkupsFile.readPoints(path), to: .straightened, file: path)
        for (a, b) in zip(back.points, list.points) { #expect(((a.position - b.position) * (a.position - b.position)).sum().squareRoot() < 0.01) }
    }

    /// A label drawn on the straightened volume (a 4 mm radius cylinder around the centreline, 8 voxels) goes
    /// back to the original grid by restacking it into slices at the curve poses and
    /// reconstructing them there (nearest neighbour, as `freehand reconstruct --grid-from`),
    /// then forth again by reslicing; both agree with the exact mapping at Dice >= 0.95.
    @Test func labelRoundTrip() throws {
        let s = Self.setup
        let sg = s.mapping.straightenedGeometry
        var label = Volume<UInt8>(geometry: sg)
        for k in 0..<sg.dimensions.z { for j in 0..<sg.dimensions.y { for i in 0..<sg.dimensions.x {
            let q = sg.position(i, j, k)
            if q.x * q.x + q.y * q.y <= 16 { label[i, j, k] = 255 }
        } } }
        let folder = ResliceSupport.folder("label")
        let slices = folder.appendingPathComponent("label-slices.igs.mha").path
        _ = try ResliceFlow.run(reslicer: try Reslicer(volume: .uint8(label), interpolation: .nearest), poses: s.poses,
                                sampling: s.straightenedPoses, geometry: s.slice, outputs: ResliceOutputs(slices: slices))
        let g = Self.volume.geometry
        var settings = ReconstructionSettings(outputSpacing: g.spacing)
        settings.outputOrigin = g.origin
        settings.outputExtent = [0, g.dimensions.x - 1, 0, g.dimensions.y - 1, 0, g.dimensions.z - 1]
        settings.compoundingMode = .maximum
        // Nearest-neighbour pasting leaves gaps where slices fan apart on the outside of a
        // bend; `--fill-holes` (a STICK kernel) closes them.
        settings.fillHoles = true
        settings.holeFilling = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)]
        let back = try RecordingReconstruction(settings: settings).run(path: slices)
        guard case .uint8(let mapped) = back.volume else { Issue.record("expected 8-bit"); return }
        // The exact label in original coordinates, through the inverse mapping.
        // Only voxels within 5 mm of a slice centre can be inside; stamp those first.
        var near = [Bool](repeating: false, count: g.voxelCount)
        for f in s.path.frames {
            let c = (f.centre - g.origin) / g.spacing
            for k in max(0, Int(c.z) - 10)...min(g.dimensions.z - 1, Int(c.z) + 11) {
                for j in max(0, Int(c.y) - 10)...min(g.dimensions.y - 1, Int(c.y) + 11) {
                    for i in max(0, Int(c.x) - 10)...min(g.dimensions.x - 1, Int(c.x) + 11) { near[g.index(i, j, k)] = true }
                }
            }
        }
        var expected = [Bool](repeating: false, count: g.voxelCount)
        let last = s.path.frames.last!.arcLength
        for k in 0..<g.dimensions.z { for j in 0..<g.dimensions.y { for i in 0..<g.dimensions.x where near[g.index(i, j, k)] {
            guard let q = s.mapping.toStraightened(g.position(i, j, k), maximumOffset: 6) else { continue }
            expected[g.index(i, j, k)] = q.x * q.x + q.y * q.y <= 16 && q.z >= 0 && q.z <= last
        } } }
        let dice = ResliceSupport.dice(mapped.voxels.map { $0 >= 128 }, expected)
        // And forth: reslice the mapped-back label along the curve.
        var again: [Bool] = []
        try Reslicer(volume: .uint8(mapped), interpolation: .nearest).run(poses: s.poses, geometry: s.slice) { _, slice in
            again += slice.image.bytes.map { $0 >= 128 }
        }
        let diceForth = ResliceSupport.dice(again, label.voxels.map { $0 >= 128 })
        print("label round trip: \(back.emptyVoxels) voxels never hit, \(back.voxelsFilled) filled; Dice original \(dice), straightened again \(diceForth); \(expected.filter { $0 }.count) voxels")
        #expect(dice >= 0.95 && diceForth >= 0.95)
    }
}
