import ArgumentParser
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings

/// `freehand reconstruct`: a tracked sequence file in, a 3-D volume out.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Reconstruct a 3-D volume from a recorded tracked ultrasound sequence.",
        discussion: """
        Reads a PLUS sequence (.igs.mha, .mha, .mhd, .igs.nrrd, Slicer .seq.nrrd) and a PLUS \
        device-set configuration whose <CoordinateDefinitions> hold the calibration (ImageToProbe, ...) \
        and whose <VolumeReconstruction> element holds the settings, as PLUS's VolumeReconstructor \
        does. Without --config, <recording>.config.xml beside the recording is used when present. \
        Options below override the configuration.

        Example: freehand reconstruct Recordings/phantom-sweep.igs.mha -o phantom.nrrd --preview phantom.png
        """
    )

    @Argument(help: "The recorded sequence.")
    var recording = "Recordings/phantom-sweep.igs.mha"

    @Option(name: .shortAndLong, help: "PLUS device-set configuration (calibration + <VolumeReconstruction>).")
    var config: String?

    @Option(name: .long, parsing: .singleValue,
            help: "Further device-set files whose <CoordinateDefinitions> override the configuration's (e.g. Calibrations/ImageToProbe.xml). Repeatable.")
    var calibration: [String] = []

    @Option(name: .shortAndLong, help: "Output volume (.nrrd, .mha or .mhd). Default: <recording name>.nrrd in the current folder.")
    var output: String?

    @Option(help: "Also write a picture (PNG) of the volume: maximum-intensity projections along z, y and x.")
    var preview: String?

    @Option(help: "Also write the accumulation (weight) volume (.nrrd, .mha): 256 per full-weight hit.")
    var accumulation: String?

    @Option(help: "Voxel size in mm (one value, or three: x y z).")
    var spacing: [Double] = []

    @Option(help: "plus (PLUS splatting, default), or a backward method: vnn (voxel nearest neighbour), dw (distance-weighted), trajectory.")
    var method: MethodChoice?

    @Option(help: "nearest or linear.")
    var interpolation: InterpolationChoice?

    @Option(help: "latest, mean, maximum or importance-mask.")
    var compounding: CompoundingChoice?

    @Flag(inversion: .prefixedNo, help: "Fill never-hit voxels with the configured <HoleFilling> kernels (a STICK kernel is used when none is configured).")
    var fillHoles: Bool?

    @Option(help: "Use every n-th frame.")
    var skipInterval: Int?

    @Flag(help: "Write 32-bit float voxels instead of 8-bit.")
    var float = false

    @Option(help: "Worker threads (default: one per core). The result is identical for any count.")
    var threads: Int?

    @Option(help: "Refuse grids whose volume + accumulation buffer exceed this many GiB (default: half the memory).")
    var maxMemory: Double?

    @Option(help: "Reconstruct on this volume's grid (origin, spacing, size), e.g. to map `freehand reslice` slices back onto the volume they came from.")
    var gridFrom: String?

    @Option(help: "Frame the images are in (default from the configuration, else Image).")
    var imageFrame: String?

    @Option(help: "Frame the volume is built in (default from the configuration, else Reference).")
    var referenceFrame: String?

    @Flag(name: .shortAndLong, help: "No progress bar or summary.")
    var quiet = false

    func run() throws {
        let start = Date()
        let configPath = resolvedConfigPath()
        let (settings, calibration) = try loadSettings(configPath: configPath)
        var pipeline = RecordingReconstruction(settings: settings, calibration: calibration, threads: threads,
                                               outputScalarType: float ? .float32 : .uint8)
        if let maxMemory { pipeline.memoryBudget = MemoryBudget(limitBytes: Int(maxMemory * 1_073_741_824)) }
        if settings.compoundingMode == .importanceMask {
            pipeline.importanceMask = try loadImportanceMask(settings: settings, configPath: configPath)
        }

        var currentBar: (phase: RecordingReconstruction.Phase, bar: ProgressBar)?
        let result = try pipeline.run(path: recording) { phase, done, total in
            if currentBar?.phase != phase {
                currentBar?.bar.finish()
                currentBar = (phase, ProgressBar(total: total, label: phase == .holeFilling ? "" : "frames \(phase.rawValue)",
                                                 enabled: !quiet && isatty(STDERR_FILENO) != 0))
            }
            currentBar?.bar.update(done)
        }
        currentBar?.bar.finish()

        let outPath = output ?? defaultOutputPath()
        try VolumeFile.write(result.volume, to: outPath)
        if let accumulation { try VolumeFile.write(.uint16(result.accumulation), to: accumulation) }
        if let preview { try PNG.write(result.volume.previewImage(), to: preview) }

        guard !quiet else { return }
        let g = result.volume.geometry
        let s = result.statistics
        let skipped = s.framesSkippedInvalidTransform + s.framesSkippedEmpty
        var summary = "freehand: \(s.framesPasted) frames used, \(skipped) skipped"
        if s.framesSkippedInvalidTransform > 0 { summary += " (\(s.framesSkippedInvalidTransform) invalid transform)" }
        if result.framesSkippedByInterval > 0 { summary += ", \(result.framesSkippedByInterval) left out by skip interval" }
        summary += "; \(g.dimensions.x)x\(g.dimensions.y)x\(g.dimensions.z) voxels at \(formatSpacing(g.spacing)) mm"
        summary += ", origin \(formatPoint(g.origin))"
        summary += String(format: ", %.1f%% hit", 100 * Double(g.voxelCount - result.emptyVoxels) / Double(max(1, g.voxelCount)))
        if result.voxelsFilled > 0 { summary += ", \(result.voxelsFilled) holes filled" }
        summary += String(format: "; %.2f s -> %@", Date().timeIntervalSince(start), outPath)
        print(summary)
    }

    // MARK: Inputs

    private func resolvedConfigPath() -> String? {
        config ?? Self.configBeside(recording)
    }

    /// `<recording name>.config.xml` beside a recording (as `freehand simulate` writes), if present.
    static func configBeside(_ recording: String) -> String? {
        [stem(of: recording) + ".config.xml", recording + ".config.xml"].first { FileManager.default.fileExists(atPath: $0) }
    }

    private func loadSettings(configPath: String?) throws -> (ReconstructionSettings, TransformRepository) {
        var calibrationRepository = TransformRepository()
        var settings: ReconstructionSettings
        if let configPath {
            let device = try DeviceSetConfiguration.load(configPath)
            calibrationRepository = device.transformRepository()
            if let element = device.volumeReconstruction {
                settings = try ReconstructionSettings(element: element)
            } else if let s = spacing.first {
                settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: s))
            } else {
                throw ValidationError("\(configPath) has no <VolumeReconstruction> element; add one or pass --spacing")
            }
        } else if gridFrom != nil {
            settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: 1))
        } else {
            guard !spacing.isEmpty else {
                throw ValidationError("no configuration: pass --config PlusDeviceSet.xml (calibration and <VolumeReconstruction>), or put \(Self.stem(of: recording)).config.xml beside the recording")
            }
            settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: spacing[0]))
        }
        for path in calibration {
            let overlay = try DeviceSetConfiguration.load(path)
            guard !overlay.coordinateDefinitionDetails.isEmpty else {
                throw ValidationError("\(path) has no <CoordinateDefinitions> transforms")
            }
            for d in overlay.coordinateDefinitionDetails {
                calibrationRepository.set(d.name, d.matrix, persistent: true)
            }
        }
        if let gridFrom {
            let g = try VolumeFile.read(gridFrom).geometry
            guard g.direction == [1, 0, 0, 0, 1, 0, 0, 0, 1] else {
                throw ValidationError("\(gridFrom): --grid-from needs a volume with identity axis directions (as reconstructions have)")
            }
            guard spacing.isEmpty else { throw ValidationError("--grid-from sets the spacing; leave out --spacing") }
            settings.outputSpacing = g.spacing
            settings.outputOrigin = g.origin
            settings.outputExtent = [0, g.dimensions.x - 1, 0, g.dimensions.y - 1, 0, g.dimensions.z - 1]
        }
        try settings.applySpacingOption(spacing)
        if let method { settings.method = method.value }
        if let interpolation { settings.interpolation = interpolation.value }
        if let compounding { settings.compoundingMode = compounding.value }
        if let skipInterval {
            guard skipInterval >= 1 else { throw ValidationError("--skip-interval must be at least 1") }
            settings.skipInterval = skipInterval
        }
        if let fillHoles {
            settings.fillHoles = fillHoles
            if fillHoles && settings.holeFilling.isEmpty {
                settings.holeFilling = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)]
            }
        }
        if let imageFrame { settings.imageCoordinateFrame = imageFrame }
        if let referenceFrame { settings.referenceCoordinateFrame = referenceFrame }
        return (settings, calibrationRepository)
    }

    private func loadImportanceMask(settings: ReconstructionSettings, configPath: String?) throws -> Image {
        guard let name = settings.importanceMaskFilename else {
            throw ValidationError("CompoundingMode IMPORTANCE_MASK needs ImportanceMaskFilename in <VolumeReconstruction>")
        }
        var candidates = [name]
        if let configPath { candidates.insert((configPath as NSString).deletingLastPathComponent + "/" + name, at: 0) }
        candidates.append((recording as NSString).deletingLastPathComponent + "/" + name)
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ValidationError("importance mask \(name) not found (looked in: \(candidates.joined(separator: ", ")))")
        }
        return try PNG.read(path)
    }

    private func defaultOutputPath() -> String {
        ((Self.stem(of: recording)) as NSString).lastPathComponent + ".nrrd"
    }

    /// `dir/name.igs.mha` -> `dir/name`.
    static func stem(of path: String) -> String {
        var p = path
        for ext in [".igs.mha", ".igs.nrrd", ".seq.nrrd", ".mha", ".mhd", ".nrrd"] where p.lowercased().hasSuffix(ext) {
            p.removeLast(ext.count)
            break
        }
        return p
    }
}

/// `--interpolation` values.
enum InterpolationChoice: String, ExpressibleByArgument, CaseIterable {
    case nearest, linear
    var value: ReconstructionSettings.Interpolation { self == .nearest ? .nearestNeighbor : .linear }
}

/// `--compounding` values.
enum CompoundingChoice: String, ExpressibleByArgument, CaseIterable {
    case latest, mean, maximum, importanceMask = "importance-mask"
    var value: ReconstructionSettings.CompoundingMode {
        switch self {
        case .latest: return .latest
        case .mean: return .mean
        case .maximum: return .maximum
        case .importanceMask: return .importanceMask
        }
    }
}

func formatSpacing(_ s: SIMD3<Double>) -> String {
    s.x == s.y && s.y == s.z ? formatNumber(s.x) : "\(formatNumber(s.x))x\(formatNumber(s.y))x\(formatNumber(s.z))"
}

func formatPoint(_ p: SIMD3<Double>) -> String {
    String(format: "(%.2f, %.2f, %.2f)", p.x, p.y, p.z)
}
