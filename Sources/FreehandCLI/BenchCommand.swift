import ArgumentParser
import Benchmarks
import Reconstruction

/// `freehand bench`: paste throughput of the reconstruction kernels.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure reconstruction speed (frames/s, voxels/s, ms/frame) on PLUS's spine sweep and a simulated sweep, and reslicing speed (slices/s).",
        discussion: """
        Two inputs: PLUS's SpinePhantomFreehand recording (21 frames of 820x616, --plus-data) with the \
        SpinePhantom config's calibration and 0.5 mm grid, and a simulated freehand sweep from the \
        Simulation module (--frames poses of a --width x --height linear probe, pixel --pixel-mm, over \
        52 mm) pasted into a --spacing mm grid; to keep memory small, --distinct-images images are \
        rendered and reused cyclically (pixel values do not change the work). Each configuration runs \
        --runs times and the median is reported; voxels/s counts voxel updates (1 per nearest-neighbour \
        pixel, up to 8 per linear pixel). Allocation of the volume is not timed. On a shared machine the \
        wall-clock rates depend on the load; the CPU-time figures (process CPU time per frame) do not. \
        Reslicing: 200 slices of 256x256 along a curve through the standard phantom at 0.3 mm, linear and \
        cubic, on each thread count.

        With --recording and --config, only that recording is timed, as IGSIO's paste_bench times it \
        (scripts/bench-vs-igsio.sh runs both): read whole, then per run pasting and hole filling \
        (when the configuration has FillHoles="ON") separately, medians per thread count.
        """)

    @Option(help: "Frames in the simulated sweep.") var frames = 1000
    @Option(help: "Simulated frame width in pixels.") var width = 640
    @Option(help: "Frame height in pixels.") var height = 480
    @Option(help: "Simulated pixel size in mm.") var pixelMm = 0.08
    @Option(help: "Distinct rendered images reused over the simulated sweep.") var distinctImages = 32
    @Option(help: "PlusLibData folder (spine sweep benchmark; skipped when absent).") var plusData = "../shared/data/plus/PlusLibData"
    @Option(help: "Output voxel size in mm.") var spacing = 0.3
    @Option(help: "Runs per configuration (median reported).") var runs = 5
    @Option(help: "Comma-separated thread counts.") var threads = "1,2"
    @Option(help: "Comma-separated interpolations (nearest, linear).") var interpolation = "nearest,linear"
    @Option(help: "Compounding mode: latest, mean or maximum.") var compounding: CompoundingChoice = .mean
    @Option(help: "Comma-separated arithmetics: full (fixed point), partial, none (double precision).") var optimization = "full"
    @Option(help: "Time only this recording (with --config), as IGSIO's paste_bench does.") var recording: String?
    @Option(help: "PLUS device-set configuration for --recording.") var config: String?
    @Option(help: "With --recording: write the last run's volume here (uncompressed .mha/.nrrd), to compare outputs.") var output: String?
    @Option(help: "Backward methods also timed, comma-separated (vnn, dw, trajectory; \"\" for none).") var backward = "trajectory,dw,vnn"

    func validate() throws {
        guard (1...100_000).contains(frames), (1...100_000).contains(distinctImages), (1...1000).contains(runs) else {
            throw ValidationError("--frames and --distinct-images must be in 1...100000, --runs in 1...1000")
        }
        guard (2...4096).contains(width), (2...4096).contains(height) else { throw ValidationError("--width and --height must be in 2...4096") }
        for (name, v) in [("--pixel-mm", pixelMm), ("--spacing", spacing)] where !(v.isFinite && v > 0 && v < 1000) {
            throw ValidationError("\(name) must be a positive number of mm")
        }
        guard compounding != .importanceMask else { throw ValidationError("--compounding importance-mask needs a mask; use latest, mean or maximum") }
        _ = try threadCounts()
        guard (recording == nil) == (config == nil) else { throw ValidationError("--recording and --config go together") }
        guard output == nil || recording != nil else { throw ValidationError("--output needs --recording") }
        _ = try interpolations()
        _ = try optimizations()
        _ = try backwardMethods()
    }

    func backwardMethods() throws -> [ReconstructionMethod] {
        try backward.split(separator: ",").map {
            guard let choice = MethodChoice(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()), choice != .plus else {
                throw ValidationError("--backward takes vnn, dw and/or trajectory, comma-separated")
            }
            return choice.value
        }
    }

    func threadCounts() throws -> [Int] {
        let counts = threads.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !counts.isEmpty, counts.allSatisfy({ $0.map { (1...1024).contains($0) } ?? false }) else {
            throw ValidationError("--threads takes comma-separated counts in 1...1024, e.g. 1,2")
        }
        return counts.compactMap { $0 }
    }

    func interpolations() throws -> [ReconstructionSettings.Interpolation] {
        try interpolation.split(separator: ",").map {
            guard let choice = InterpolationChoice(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--interpolation takes nearest and/or linear, comma-separated")
            }
            return choice.value
        }
    }

    func optimizations() throws -> [ReconstructionSettings.Optimization] {
        try optimization.split(separator: ",").map {
            guard let choice = OptimizationChoice(rawValue: $0.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--optimization takes full, partial and/or none, comma-separated")
            }
            return choice.value
        }
    }

    func run() throws {
        if let recording, let config {
            var bench = RecordingBenchmark(recording: recording, config: config)
            bench.runs = runs
            bench.threadCounts = try threadCounts()
            bench.output = output
            return try bench.run { print($0) }
        }
        var bench = ReconstructionBenchmark()
        bench.frames = frames
        bench.width = width
        bench.height = height
        bench.pixelMm = pixelMm
        bench.distinctImages = distinctImages
        bench.plusData = plusData
        bench.spacing = spacing
        bench.runs = runs
        bench.threadCounts = try threadCounts()
        bench.interpolations = try interpolations()
        bench.optimizations = try optimizations()
        bench.compounding = compounding.value
        bench.backwardMethods = try backwardMethods()
        try bench.run { print($0) }
        try ResliceBenchmark.standard().run(threadCounts: bench.threadCounts, runs: runs) { print($0) }
    }
}
