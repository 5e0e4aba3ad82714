import Dispatch
import Foundation
import Imaging
import Recordings
import Reslicing
import Simulation

/// Reslicing throughput for `freehand bench`: slices per second for one interpolation and
/// thread count, sampling a volume along a curve (slices are produced and dropped, nothing is
/// written, so the figure is the sampler's and the scheduler's).
public struct ResliceBenchmark: Sendable {
    /// One measurement.
    public struct Result: Sendable {
        public var interpolation: Interpolation
        public var threads: Int
        public var slices: Int
        /// Median over the runs, wall clock.
        public var slicesPerSecond: Double
        /// Seconds to build the sampler (the cubic B-spline prefilter), median.
        public var setupSeconds: Double
    }

    /// The volume sampled.
    public let volume: AnyVolume
    /// Slice poses and size.
    public let poses: [SlicePose]
    public let geometry: SliceGeometry

    /// A benchmark of `geometry` slices at `poses` through `volume`.
    public init(volume: AnyVolume, poses: [SlicePose], geometry: SliceGeometry) {
        self.volume = volume
        self.poses = poses
        self.geometry = geometry
    }

    /// The standard case: the standard phantom's ground truth on a 0.3 mm grid (170 x 134 x 200,
    /// 8-bit), resliced in `count` 256 x 256 slices of 0.3 mm along a curve winding through it.
    public static func standard(count: Int = 200) throws -> ResliceBenchmark {
        let grid = VolumeGeometry(dimensions: SIMD3(170, 134, 200), spacing: SIMD3(repeating: 0.3), origin: SIMD3(-25, 0, 0))
        let truth = Phantom.standard.groundTruth(on: grid)
        let volume = Volume<UInt8>(geometry: grid, voxels: truth.voxels.map { UInt8(max(0, min(255, $0.rounded()))) })
        return try curve(through: volume, count: count)
    }

    /// `count` 256 x 256 slices at the smallest voxel spacing along a curve winding through `volume`.
    public static func curve(through volume: Volume<UInt8>, count: Int) throws -> ResliceBenchmark {
        let g = volume.geometry
        let size = SIMD3(Double(g.dimensions.x), Double(g.dimensions.y), Double(g.dimensions.z)) * g.spacing
        let points = (0...4).map { i -> SIMD3<Double> in
            let t = Double(i) / 4
            return g.origin + SIMD3(size.x * (0.3 + 0.4 * t), size.y * (0.5 + 0.2 * (i % 2 == 0 ? 1 : -1)), size.z * (0.1 + 0.8 * t))
        }
        let curve = MarkupList(type: "Curve", points: points.map { MarkupPoint(position: $0) })
        let probe = try CurvePath(points: curve.points.map(\.position), step: 1, up: nil, volume: g, file: "benchmark")
        let setup = try CurveReslicing(curve: curve, file: "benchmark", volume: g, step: probe.length / Double(max(1, count - 1)) * 0.999,
                                       size: SIMD2(256, 256), spacing: SIMD2(repeating: g.smallestSpacing))
        return ResliceBenchmark(volume: .uint8(volume), poses: Array(setup.poses.prefix(count)), geometry: setup.slice)
    }

    /// Measures linear and cubic on each thread count and reports one line each.
    public func run(threadCounts: [Int], runs: Int, report: (String) -> Void) throws {
        let d = volume.geometry.dimensions
        report("reslice: \(poses.count) slices \(geometry.width)x\(geometry.height) at \(geometry.spacing.x) mm along a curve through a \(d.x)x\(d.y)x\(d.z) \(volume.scalarType) volume")
        for interpolation in [Interpolation.linear, .cubic] {
            for t in threadCounts {
                let r = try measure(interpolation: interpolation, threads: t, runs: runs)
                report(String(format: "  %-8@ threads %d  %8.1f slices/s  (sampler setup %.3f s) | median of %d",
                              interpolation.rawValue as NSString, t, r.slicesPerSecond, r.setupSeconds, runs))
            }
        }
    }

    /// Measures `interpolation` on `threads` workers, `runs` times (median).
    public func measure(interpolation: Interpolation, threads: Int, runs: Int) throws -> Result {
        var rates: [Double] = [], setups: [Double] = []
        for _ in 0..<max(1, runs) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let reslicer = try Reslicer(volume: volume, interpolation: interpolation, threads: threads)
            let t1 = DispatchTime.now().uptimeNanoseconds
            var checksum = 0
            try reslicer.run(poses: poses, geometry: geometry) { _, slice in checksum &+= slice.pixelsInside }
            let t2 = DispatchTime.now().uptimeNanoseconds
            precondition(checksum > 0, "benchmark slices miss the volume")
            setups.append(Double(t1 - t0) / 1e9)
            rates.append(Double(poses.count) / (Double(t2 - t1) / 1e9))
        }
        return Result(interpolation: interpolation, threads: threads, slices: poses.count,
                      slicesPerSecond: rates.sorted()[rates.count / 2], setupSeconds: setups.sorted()[setups.count / 2])
    }
}
