import ArgumentParser
import Dispatch
import Foundation
import Geometry
import Imaging
import Reconstruction

/// `freehand bench`: paste throughput of the reconstruction kernels.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure reconstruction speed (frames/s, voxels/s, ms/frame) on a synthetic sweep.",
        discussion: """
        The synthetic sweep is generated procedurally here: textured 8-bit frames moved along z with a \
        slight tilt, pixel size --pixel-mm, pasted into a grid of --spacing mm. Each configuration is run \
        --runs times and the median is reported; voxels/s counts voxel updates (1 per nearest-neighbour \
        pixel, up to 8 per linear pixel). Allocation of the volume is not timed. On a shared machine the \
        wall-clock rates depend on the load; the CPU-time figures (process CPU time per frame) do not.
        """)

    @Option(help: "Frames in the synthetic sweep.") var frames = 1000
    @Option(help: "Frame width in pixels.") var width = 640
    @Option(help: "Frame height in pixels.") var height = 480
    @Option(help: "Pixel size in mm.") var pixelMm = 0.1
    @Option(help: "Sweep step per frame in mm.") var stepMm = 0.1
    @Option(help: "Output voxel size in mm.") var spacing = 0.3
    @Option(help: "Runs per configuration (median reported).") var runs = 5
    @Option(help: "Comma-separated thread counts.") var threads = "1,2"
    @Option(help: "Comma-separated interpolations (nearest, linear).") var interpolation = "nearest,linear"
    @Option(help: "Compounding mode (MEAN, LATEST, MAXIMUM).") var compounding = "MEAN"

    func run() throws {
        let threadCounts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let interpolations = interpolation.split(separator: ",").map { $0.lowercased().hasPrefix("lin") ? "LINEAR" : "NEAREST_NEIGHBOR" }
        let sweep = SyntheticSweep(frames: frames, width: width, height: height, pixelMm: pixelMm, stepMm: stepMm)
        print("synthetic sweep: \(frames) frames \(width)x\(height) uint8, pixel \(pixelMm) mm, step \(stepMm) mm, grid \(spacing) mm, \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage())")
        for interp in interpolations {
            var settings = try ReconstructionSettings(attributes: [
                "OutputSpacing": "\(spacing) \(spacing) \(spacing)", "Interpolation": interp, "CompoundingMode": compounding,
            ])
            settings.numberOfThreads = 0
            var grid = OutputGridBuilder(settings: settings)
            for f in sweep.items { grid.add(width: width, height: height, imageToReference: f.imageToReference) }
            let geometry = try grid.geometry()
            for t in threadCounts {
                var seconds: [Double] = []
                var cpuSeconds: [Double] = []
                var stats = ReconstructionStatistics()
                for _ in 0..<runs {
                    let r = try VolumeReconstructor(settings: settings, geometry: geometry, threads: t)
                    let start = DispatchTime.now().uptimeNanoseconds
                    let cpuStart = processCPUSeconds()
                    try r.add(images: sweep.items)
                    cpuSeconds.append(processCPUSeconds() - cpuStart)
                    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    stats = r.statistics
                }
                let median = seconds.sorted()[seconds.count / 2]
                let cpu = cpuSeconds.sorted()[cpuSeconds.count / 2]
                let frames = Double(stats.framesPasted)
                print(String(format: "%-16@ threads %d  grid %dx%dx%d  wall: %7.1f frames/s %7.1f Mvoxel-updates/s %6.3f ms/frame | cpu: %6.3f ms/frame, %7.1f frames per CPU-second | median of %d",
                             interp as NSString, t, geometry.dimensions.x, geometry.dimensions.y, geometry.dimensions.z,
                             frames / median, Double(stats.voxelUpdates) / median / 1e6, median * 1000 / frames,
                             cpu * 1000 / frames, frames / cpu, runs))
            }
        }
        print("peak memory (ru_maxrss): \(peakMemoryMiB()) MiB")
    }

    func loadAverage() -> String {
        var loads = [Double](repeating: 0, count: 3)
        guard getloadavg(&loads, 3) == 3 else { return "unknown" }
        return loads.map { String(format: "%.2f", $0) }.joined(separator: " ")
    }

    /// CPU time of all threads of this process.
    func processCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    func peakMemoryMiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) / 1024
    }
}

/// A procedurally generated freehand sweep: textured frames translated along z with a small
/// wobble of the probe.
struct SyntheticSweep {
    var items: [(image: Image, imageToReference: Transform3D)] = []

    init(frames: Int, width: Int, height: Int, pixelMm: Double, stepMm: Double) {
        // A few distinct textures shared by all frames (copy-on-write), so memory stays small.
        var textures: [Image] = []
        for seed in 0..<16 {
            var bytes = [UInt8](repeating: 0, count: width * height)
            var state = UInt32(truncatingIfNeeded: 0x9E3779B9 &* (seed + 1))
            for y in 0..<height {
                for x in 0..<width {
                    state = state &* 1664525 &+ 1013904223
                    let speckle = Int(state >> 26)
                    let structure = ((x / 40 + y / 30 + seed) % 3) * 60
                    bytes[y * width + x] = UInt8(clamping: structure + speckle * 2)
                }
            }
            textures.append(Image(width: width, height: height, bytes: bytes))
        }
        let scale = Transform3D.scaling(SIMD3(pixelMm, pixelMm, 1))
        for i in 0..<frames {
            let t = Double(i)
            let tilt = Transform3D.rotation(axis: SIMD3(1, 0.2, 0), angle: 0.05 * sin(t / 50))
            let m = Transform3D.translation(SIMD3(0.5 * sin(t / 80), 0.3 * cos(t / 60), stepMm * t)) * tilt * scale
            items.append((textures[i % textures.count], m))
        }
    }
}
