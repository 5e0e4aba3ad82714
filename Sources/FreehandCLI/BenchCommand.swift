import ArgumentParser
import Dispatch
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Simulation

/// `freehand bench`: paste throughput of the reconstruction kernels.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure reconstruction speed (frames/s, voxels/s, ms/frame) on PLUS's spine sweep and a simulated sweep.",
        discussion: """
        Two inputs: PLUS's SpinePhantomFreehand recording (21 frames of 820x616, --plus-data) with the \
        SpinePhantom config's calibration and 0.5 mm grid, and a simulated freehand sweep from the \
        Simulation module (--frames poses of a --width x --height linear probe, pixel --pixel-mm, over \
        52 mm) pasted into a --spacing mm grid; to keep memory small, --distinct-images images are \
        rendered and reused cyclically (pixel values do not change the work). Each configuration runs \
        --runs times and the median is reported; voxels/s counts voxel updates (1 per nearest-neighbour \
        pixel, up to 8 per linear pixel). Allocation of the volume is not timed. On a shared machine the \
        wall-clock rates depend on the load; the CPU-time figures (process CPU time per frame) do not.
        """)

    @Option(help: "Frames in the simulated sweep.") var frames = 1000
    @Option(help: "Simulated frame width in pixels.") var width = 640
    @Option(help: "Frame height in pixels.") var height = 480
    @Option(help: "Simulated pixel size in mm.") var pixelMm = 0.08
    @Option(help: "Distinct rendered images reused over the simulated sweep.") var distinctImages = 32
    @Option(help: "PlusLibData folder (spine sweep benchmark; skipped when absent).")
    var plusData = "../shared/data/plus/PlusLibData"
    @Option(help: "Output voxel size in mm.") var spacing = 0.3
    @Option(help: "Runs per configuration (median reported).") var runs = 5
    @Option(help: "Comma-separated thread counts.") var threads = "1,2"
    @Option(help: "Comma-separated interpolations (nearest, linear).") var interpolation = "nearest,linear"
    @Option(help: "Compounding mode (MEAN, LATEST, MAXIMUM).") var compounding = "MEAN"
    @Option(help: "Comma-separated backward methods also timed (vnn, dw, trajectory; empty: none).") var backward = "vnn,dw,trajectory"

    func run() throws {
        let threadCounts = threads.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let interpolations = interpolation.split(separator: ",").map { $0.lowercased().hasPrefix("lin") ? "LINEAR" : "NEAREST_NEIGHBOR" }
        print("\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage()) at start")

        let spinePath = plusData + "/TestImages/SpinePhantomFreehand.igs.mha"
        let configPath = plusData + "/ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml"
        if FileManager.default.fileExists(atPath: spinePath), FileManager.default.fileExists(atPath: configPath) {
            let device = try DeviceSetConfiguration.load(configPath)
            let sequence = try SequenceFile.read(spinePath)
            let calibration = device.transformRepository()
            let name = TransformName(from: "Image", to: "Reference")
            let items = sequence.frames.compactMap { f in
                VolumeReconstructor.imageToReference(for: f, calibration: calibration, name: name).map { (image: f.image, imageToReference: $0) }
            }
            print("PLUS spine sweep: \(items.count) frames 820x616 uint8 into a 0.5 mm grid, \(compounding)")
            try measure(items: items, spacing: 0.5, interpolations: interpolations, threadCounts: threadCounts, runs: max(runs, 5))
        } else {
            print("PLUS spine sweep: skipped (\(spinePath) not found; pass --plus-data)")
        }

        let probe = LinearProbe(width: width, height: height, spacing: SIMD2(pixelMm, pixelMm))
        let simulator = SweepSimulator(probe: probe, frameCount: frames)
        let images = (0..<max(1, min(distinctImages, frames))).map { simulator.renderImage(frame: $0 * max(1, frames / max(1, distinctImages))) }
        let items = (0..<frames).map { (image: images[$0 % images.count], imageToReference: simulator.imageToReference(frame: $0)) }
        print("simulated sweep (Simulation.SweepSimulator): \(frames) frames \(width)x\(height) uint8, pixel \(pixelMm) mm, \(images.count) distinct images, grid \(spacing) mm, \(compounding)")
        try measure(items: items, spacing: spacing, interpolations: interpolations, threadCounts: threadCounts, runs: runs)
        print("peak memory (ru_maxrss): \(peakMemoryMiB()) MiB, load average \(loadAverage()) at end")
    }

    func measure(items: [(image: Image, imageToReference: Transform3D)], spacing: Double, interpolations: [String],
                 threadCounts: [Int], runs: Int) throws {
        for interp in interpolations {
            let settings = try ReconstructionSettings(attributes: [
                "OutputSpacing": "\(spacing) \(spacing) \(spacing)", "Interpolation": interp, "CompoundingMode": compounding,
            ])
            var grid = OutputGridBuilder(settings: settings)
            for f in items { grid.add(width: f.image.width, height: f.image.height, imageToReference: f.imageToReference) }
            let geometry = try grid.geometry()
            for t in threadCounts {
                var seconds: [Double] = []
                var cpuSeconds: [Double] = []
                var stats = ReconstructionStatistics()
                var shares: [Double] = []
                for _ in 0..<runs {
                    let r = try VolumeReconstructor(settings: settings, geometry: geometry, threads: t)
                    let start = DispatchTime.now().uptimeNanoseconds
                    let cpuStart = processCPUSeconds()
                    try r.add(images: items)
                    cpuSeconds.append(processCPUSeconds() - cpuStart)
                    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    stats = r.statistics
                    shares = r.lastBatchWorkShares
                }
                let median = seconds.sorted()[seconds.count / 2]
                let cpu = cpuSeconds.sorted()[cpuSeconds.count / 2]
                let frames = Double(stats.framesPasted)
                print(String(format: "  %-16@ threads %d  grid %dx%dx%d  wall: %7.1f frames/s %7.1f Mvoxel-updates/s %7.3f ms/frame | cpu: %7.3f ms/frame = %7.1f frames per CPU-second | largest worker share %.2f | median of %d",
                             interp as NSString, t, geometry.dimensions.x, geometry.dimensions.y, geometry.dimensions.z,
                             frames / median, Double(stats.voxelUpdates) / median / 1e6, median * 1000 / frames,
                             cpu * 1000 / frames, frames / cpu, shares.max() ?? 1, runs))
            }
        }
        for name in backward.split(separator: ",") {
            guard let method = MethodChoice(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else { continue }
            var settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: spacing))
            settings.method = method.value
            var grid = OutputGridBuilder(settings: settings)
            for f in items { grid.add(width: f.image.width, height: f.image.height, imageToReference: f.imageToReference) }
            let geometry = try grid.geometry()
            for t in threadCounts {
                var seconds: [Double] = [], cpuSeconds: [Double] = []
                for _ in 0..<runs {
                    let start = DispatchTime.now().uptimeNanoseconds, cpuStart = processCPUSeconds()
                    let r = try BackwardReconstructor(settings: settings, geometry: geometry, threads: t)
                    try r.add(images: items)
                    _ = try r.reconstruct()
                    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    cpuSeconds.append(processCPUSeconds() - cpuStart)
                }
                let median = seconds.sorted()[seconds.count / 2], cpu = cpuSeconds.sorted()[cpuSeconds.count / 2]
                print(String(format: "  %-16@ threads %d  grid %dx%dx%d  wall: %7.1f frames/s | cpu: %7.1f frames per CPU-second (backward: whole volume incl. frame preparation) | median of %d",
                             method.rawValue as NSString, t, geometry.dimensions.x, geometry.dimensions.y, geometry.dimensions.z,
                             Double(items.count) / median, Double(items.count) / cpu, runs))
            }
        }
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
