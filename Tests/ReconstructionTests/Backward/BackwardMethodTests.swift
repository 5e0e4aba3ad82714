import Foundation
import Geometry
import Imaging
import Reconstruction
import Simulation
import Testing

/// The backward methods on synthetic cases with known answers.
@Suite struct BackwardMethodTests {
    /// A float image whose pixel (x, y) is `value(x, y)`.
    static func image(width: Int, height: Int, _ value: (Int, Int) -> Float) -> Image {
        var floats = [Float](repeating: 0, count: width * height)
        for y in 0..<height { for x in 0..<width { floats[y * width + x] = value(x, y) } }
        let bytes = floats.withUnsafeBytes { Array($0) }
        return Image(width: width, height: height, components: 1, scalarType: .float32, bytes: bytes)
    }

    static func settings(_ method: ReconstructionMethod, spacing: Double = 1, reach: Double? = nil, neighbours: Int = 4,
                         weighting: BackwardParameters.Weighting = .gaussian) -> ReconstructionSettings {
        var s = ReconstructionSettings(outputSpacing: SIMD3(repeating: spacing))
        s.method = method
        s.backward = BackwardParameters(maximumDistance: reach, neighbours: neighbours, weighting: weighting)
        return s
    }

    static func run(_ s: ReconstructionSettings, _ grid: VolumeGeometry, _ items: [(image: Image, imageToReference: Transform3D)],
                    threads: Int = 2) throws -> (values: [Float], covered: [UInt8]) {
        let r = try BackwardReconstructor(settings: s, geometry: grid, outputScalarType: .float32, threads: threads)
        try r.add(images: items)
        let result = try r.reconstruct()
        guard case .float32(let v) = result.volume else { Issue.record("expected float output"); return ([], []) }
        return (v.voxels, result.coverage.voxels)
    }

    /// One frame on the z = 0 plane, 1 mm pixels on 1 mm voxels: every method reproduces the
    /// pixels on that plane exactly and leaves voxels beyond the maximum distance empty.
    @Test(arguments: [ReconstructionMethod.voxelNearestNeighbor, .distanceWeighted, .trajectory])
    func singleFrame(method: ReconstructionMethod) throws {
        let frame = Self.image(width: 8, height: 6) { x, y in Float(10 * x + y) }
        let grid = VolumeGeometry(dimensions: SIMD3(8, 6, 5), spacing: SIMD3(1, 1, 1), origin: SIMD3(0, 0, -2))
        let (v, c) = try Self.run(Self.settings(method, reach: 0.6), grid, [(frame, .identity)])
        for z in 0..<5 {
            for y in 0..<6 {
                for x in 0..<8 {
                    let i = grid.index(x, y, z)
                    if z == 2 {
                        #expect(c[i] == 1 && v[i] == Float(10 * x + y), "voxel (\(x), \(y), \(z))")
                    } else {
                        #expect(c[i] == 0, "voxel (\(x), \(y), \(z)) is 1 mm from the frame, beyond the 0.6 mm limit")
                    }
                }
            }
        }
    }

    /// Two parallel uniform frames 4 mm apart (100 at z = 0, 200 at z = 4): the trajectory
    /// method interpolates linearly, inverse-distance weighting follows 1/(d + 0.1 voxel), and
    /// voxel nearest neighbour takes the nearer frame (the earlier one at the tie).
    @Test func twoParallelFramesWithAKnownGap() throws {
        let a = Self.image(width: 4, height: 4) { _, _ in 100 }, b = Self.image(width: 4, height: 4) { _, _ in 200 }
        let grid = VolumeGeometry(dimensions: SIMD3(4, 4, 5), spacing: SIMD3(1, 1, 1), origin: .zero)
        let items = [(a, Transform3D.identity), (b, Transform3D.translation(SIMD3(0, 0, 4)))]
        let trajectory = try Self.run(Self.settings(.trajectory, reach: 4), grid, items)
        let vnn = try Self.run(Self.settings(.voxelNearestNeighbor, reach: 4), grid, items)
        let idw = try Self.run(Self.settings(.distanceWeighted, reach: 4, neighbours: 2, weighting: .inverseDistance), grid, items)
        for z in 0...4 {
            let i = grid.index(1, 2, z)
            let d = Double(z)
            #expect(abs(Double(trajectory.values[i]) - (100 + 25 * d)) < 1e-4, "trajectory at z = \(z)")
            #expect(vnn.values[i] == (z <= 2 ? 100 : 200), "VNN at z = \(z)")
            let wa = 1 / (d + 0.1), wb = 1 / (4 - d + 0.1)
            #expect(abs(Double(idw.values[i]) - (100 * wa + 200 * wb) / (wa + wb)) < 1e-3, "IDW at z = \(z)")
        }
    }

    /// Trajectory: frames passing through a voxel (within half a voxel of its centre) are
    /// averaged, as MEAN splatting would; between frames the bracketing pair is interpolated.
    /// Frames of 100 at z = 0, 160 at z = 0.2 and 200 at z = 4 on a 1 mm grid.
    @Test func framesThroughAVoxelAreAveraged() throws {
        let values: [Float] = [100, 160, 200]
        let items = zip(values, [0.0, 0.2, 4.0]).map { value, z in
            (image: Self.image(width: 4, height: 4) { _, _ in value }, imageToReference: Transform3D.translation(SIMD3(0, 0, z)))
        }
        let grid = VolumeGeometry(dimensions: SIMD3(4, 4, 5), spacing: SIMD3(1, 1, 1), origin: .zero)
        let (v, c) = try Self.run(Self.settings(.trajectory, reach: 4), grid, items)
        let expected: [Double] = [130, (3.0 * 160 + 0.8 * 200) / 3.8, (2.0 * 160 + 1.8 * 200) / 3.8, (1.0 * 160 + 2.8 * 200) / 3.8, 200]
        for z in 0...4 {
            let i = grid.index(2, 1, z)
            #expect(c[i] == 1 && abs(Double(v[i]) - expected[z]) < 1e-3, "z = \(z): \(v[i]), expected \(expected[z])")
        }
    }

    /// Frames rotating about the x axis through their top row (a fan sweep, 0 to 80 degrees in
    /// 5-degree steps), each a fan-masked image of constant value 2 x its angle: inside the
    /// swept wedge the trajectory method returns 2 x the voxel's angle (sin is linear to 0.1 %
    /// over 5 degrees), or the frame's own value where a frame passes within half a voxel, and
    /// voxels outside the fan's +-30 degree lateral wedge stay empty.
    @Test func rotatingFan() throws {
        var s = Self.settings(.trajectory, spacing: 1, reach: 5)
        s.fanAnglesDeg = SIMD2(-30, 30)
        s.fanOriginPixel = SIMD2(40, 0)
        s.fanRadiusStopPixel = 1000
        var items: [(image: Image, imageToReference: Transform3D)] = []
        for step in 0...16 {
            let angle = Double(step) * 5
            let frame = Self.image(width: 81, height: 60) { _, _ in Float(2 * angle) }
            // Pixel (x, y) -> (x - 40, y cos a, y sin a) mm.
            let m = Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: angle * .pi / 180) * Transform3D.translation(SIMD3(-40, 0, 0))
            items.append((frame, m))
        }
        let grid = VolumeGeometry(dimensions: SIMD3(81, 61, 61), spacing: SIMD3(1, 1, 1), origin: SIMD3(-40, 0, 0))
        let (v, c) = try Self.run(s, grid, items)
        var checked = 0
        for (y, z) in [(40, 10), (30, 30), (20, 35), (45, 5), (10, 40)] {
            let r = (Double(y * y + z * z)).squareRoot(), phi = atan2(Double(z), Double(y)) * 180 / .pi
            for x in [-5, 0, 7] where Double(abs(x)) < 0.5 * r {  // well inside the 30-degree wedge
                let i = grid.index(x + 40, y, z)
                #expect(c[i] == 1, "voxel (\(x), \(y), \(z)) is inside the fan")
                // A frame passing through the voxel (within half a voxel) gives its own value.
                let nearestFrame = (phi / 5).rounded() * 5
                let onFrame = r * abs(sin((phi - nearestFrame) * .pi / 180)) <= 0.5
                let expected = 2 * (onFrame ? nearestFrame : phi)
                #expect(abs(Double(v[i]) - expected) < 0.2, "voxel (\(x), \(y), \(z)) at \(phi) degrees: \(v[i])")
                checked += 1
            }
            let outside = grid.index(min(80, 40 + Int(0.8 * r) + 2), y, z)
            #expect(c[outside] == 0, "voxel lateral to the fan wedge at (\(y), \(z)) must stay empty")
        }
        #expect(checked == 15)
    }

    /// Every method gives bit-identical volumes for 1, 2, 3 and 7 workers on a simulated sweep.
    @Test(arguments: [ReconstructionMethod.voxelNearestNeighbor, .distanceWeighted, .trajectory])
    func threadCountDeterminism(method: ReconstructionMethod) throws {
        let sim = SweepSimulator(probe: LinearProbe(width: 64, height: 50, spacing: SIMD2(0.8, 0.8)), frameCount: 40)
        let items = (0..<40).map { (image: sim.renderImage(frame: $0), imageToReference: sim.imageToReference(frame: $0)) }
        let s = Self.settings(method, spacing: 1)
        var builder = OutputGridBuilder(settings: s)
        for f in items { builder.add(width: 64, height: 50, imageToReference: f.imageToReference) }
        let grid = try builder.geometry()
        let one = try Self.run(s, grid, items, threads: 1)
        #expect(one.covered.contains(1))
        for t in [2, 3, 7] {
            let other = try Self.run(s, grid, items, threads: t)
            #expect(other.values.elementsEqual(one.values) { $0.bitPattern == $1.bitPattern } && other.covered == one.covered, "\(t) threads")
        }
    }

    /// The attributes of Freehand's own parse and are checked.
    @Test func attributes() throws {
        let s = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FreehandMethod": "dw", "FreehandMaxDistanceMm": "2.5",
                                                        "FreehandNeighbours": "6", "FreehandWeighting": "inverse_distance"])
        #expect(s.method == .distanceWeighted && s.backward == BackwardParameters(maximumDistance: 2.5, neighbours: 6, weighting: .inverseDistance))
        #expect(try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1"]).method == .plus)
        #expect(throws: ReconstructionError.self) { try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FreehandNeighbours": "0"]) }
        #expect(throws: ReconstructionError.self) { try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FreehandMaxDistanceMm": "-1"]) }
        #expect(throws: ReconstructionError.self) { try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FreehandMethod": "SPLINE"]) }
    }
}
