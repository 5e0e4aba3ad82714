import Dispatch
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Simulation

/// Paste throughput of the reconstruction kernels (`freehand bench`): PLUS's spine sweep with
/// its configuration's calibration and 0.5 mm grid, and a simulated freehand sweep, each run
/// `runs` times per interpolation and thread count, the median reported as frames/s,
/// voxel updates/s and ms/frame, wall clock and process CPU time.
public struct ReconstructionBenchmark: Sendable {
    /// Frames in the simulated sweep.
    public var frames = 1000
    /// Simulated frame size in pixels.
    public var width = 640, height = 480
    /// Simulated pixel size in mm.
    public var pixelMm = 0.08
    /// Distinct rendered images reused cyclically over the simulated sweep.
    public var distinctImages = 32
    /// PlusLibData folder (spine sweep benchmark; skipped when absent).
    public var plusData = "../shared/data/plus/PlusLibData"
    /// Output voxel size of the simulated sweep's grid, mm.
    public var spacing = 0.3
    /// Runs per configuration (median reported).
    public var runs = 5
    /// Thread counts measured.
    public var threadCounts = [1, 2]
    /// Interpolations measured.
    public var interpolations: [ReconstructionSettings.Interpolation] = [.nearestNeighbor, .linear]
    /// Arithmetics measured (FULL: fixed point; PARTIAL, NONE: double precision).
    public var optimizations: [ReconstructionSettings.Optimization] = [.full]
    /// Compounding mode.
    public var compounding = ReconstructionSettings.CompoundingMode.mean

    /// Backward methods timed after the PLUS kernels (whole volume, frame preparation included).
    public var backwardMethods: [ReconstructionMethod] = [.trajectory, .distanceWeighted, .voxelNearestNeighbor]

    public init() {}

    /// Runs both benchmarks, handing each report line to `report`.
    public func run(report: (String) -> Void) throws {
        report("\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(ProcessClock.loadAverage()) at start")
        let spinePath = plusData + "/TestImages/SpinePhantomFreehand.igs.mha"
        let configPath = plusData + "/ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml"
        if FileManager.default.fileExists(atPath: spinePath), FileManager.default.fileExists(atPath: configPath) {
            let setup = try ReconstructionSetup(.init(recording: spinePath, config: configPath))
            let sequence = try SequenceFile.read(spinePath)
            let items = sequence.frames.compactMap { f in
                VolumeReconstructor.imageToReference(for: f, calibration: setup.calibration, name: setup.imageToReferenceName)
                    .map { (image: f.image, imageToReference: $0) }
            }
            report("PLUS spine sweep: \(items.count) frames 820x616 uint8 into a 0.5 mm grid, \(compounding.rawValue)")
            try measure(items: items, spacing: 0.5, runs: max(runs, 5), report: report)
        } else {
            report("PLUS spine sweep: skipped (\(spinePath) not found; pass --plus-data)")
        }

        let probe = LinearProbe(width: width, height: height, spacing: SIMD2(pixelMm, pixelMm))
        let simulator = SweepSimulator(probe: probe, frameCount: frames)
        let images = (0..<max(1, min(distinctImages, frames))).map { simulator.renderImage(frame: $0 * max(1, frames / max(1, distinctImages))) }
        let items = (0..<frames).map { (image: images[$0 % images.count], imageToReference: simulator.imageToReference(frame: $0)) }
        report("simulated sweep (Simulation.SweepSimulator): \(frames) frames \(width)x\(height) uint8, pixel \(pixelMm) mm, \(images.count) distinct images, grid \(spacing) mm, \(compounding.rawValue)")
        try measure(items: items, spacing: spacing, runs: runs, report: report)
        let peak = ProcessMemory.residentBytes().map { String($0.peak >> 20) } ?? "unknown"
        report("peak memory (VmHWM): \(peak) MiB, load average \(ProcessClock.loadAverage()) at end")
    }

    /// Pastes `items` into their automatic grid for every interpolation and thread count.
    func measure(items: [(image: Image, imageToReference: Transform3D)], spacing: Double, runs: Int,
                 report: (String) -> Void) throws {
        for optimization in optimizations { for interpolation in interpolations {
            let settings = try ReconstructionSettings(attributes: [
                "OutputSpacing": "\(spacing) \(spacing) \(spacing)", "Interpolation": interpolation.rawValue,
                "CompoundingMode": compounding.rawValue, "Optimization": optimization.rawValue,
            ])
            let geometry = try OutputGridBuilder.geometry(settings: settings, frames: items)
            for t in threadCounts {
                var seconds: [Double] = [], cpuSeconds: [Double] = [], shares: [Double] = []
                var stats = ReconstructionStatistics()
                for _ in 0..<max(1, runs) {
                    let r = try VolumeReconstructor(settings: settings, geometry: geometry, threads: t)
                    let (wall, cpu) = try ProcessClock.measure { try r.add(images: items) }
                    seconds.append(wall)
                    cpuSeconds.append(cpu)
                    stats = r.statistics
                    shares = r.lastBatchWorkShares
                }
                let median = ProcessClock.median(seconds), cpu = ProcessClock.median(cpuSeconds)
                let n = Double(max(1, stats.framesPasted))
                let d = geometry.dimensions
                let name = "\(interpolation.rawValue) \(optimization.rawValue)"
                report(String(format: "  %-24@ threads %d  grid %dx%dx%d  wall: %7.1f frames/s %7.1f Mvoxel-updates/s %7.3f ms/frame | cpu: %7.3f ms/frame = %7.1f frames per CPU-second | largest worker share %.2f | median of %d",
                              name as NSString, t, d.x, d.y, d.z, n / median, Double(stats.voxelUpdates) / median / 1e6, median * 1000 / n,
                              cpu * 1000 / n, n / cpu, shares.max() ?? 1, seconds.count))
            }
        } }
        for method in backwardMethods where method.isBackward {
            var settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: spacing))
            settings.method = method
            let geometry = try OutputGridBuilder.geometry(settings: settings, frames: items)
            for t in threadCounts {
                var seconds: [Double] = [], cpuSeconds: [Double] = []
                for _ in 0..<max(1, runs) {
                    let (wall, cpu) = try ProcessClock.measure {
                        let r = try BackwardReconstructor(settings: settings, geometry: geometry, threads: t)
                        try r.add(images: items)
                        _ = try r.reconstruct()
                    }
                    seconds.append(wall)
                    cpuSeconds.append(cpu)
                }
                let median = ProcessClock.median(seconds), cpu = ProcessClock.median(cpuSeconds)
                let n = Double(items.count), d = geometry.dimensions
                report(String(format: "  %-16@ threads %d  grid %dx%dx%d  wall: %7.1f frames/s | cpu: %7.1f frames per CPU-second (backward: whole volume incl. frame preparation) | median of %d",
                              method.rawValue as NSString, t, d.x, d.y, d.z, n / median, n / cpu, seconds.count))
            }
        }
    }
}
