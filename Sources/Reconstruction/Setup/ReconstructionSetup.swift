import Foundation
import Geometry
import Imaging
import Recordings

/// The one way every command sets up a reconstruction (or a stream that needs the calibration):
/// it finds the configuration (`--config`, else `<recording>.config.xml` beside the recording),
/// reads its calibration and `<VolumeReconstruction>` settings, overlays further calibration
/// files, applies the command-line overrides (adding PLUS's default STICK kernel when hole
/// filling is asked for but none is configured), finds the importance mask, and chooses the
/// output grid.
///
/// `reconstruct`, `listen`, `record` and `replay` all build one of these, so a configuration
/// means the same to each of them.
public struct ReconstructionSetup: Sendable {
    /// What was asked for.
    public let request: Request
    /// The device-set configuration used (given, or found beside the recording); nil when none.
    public let configPath: String?
    /// The `<VolumeReconstruction>` rules with the overrides applied; nil when neither the
    /// configuration nor `--spacing` gives any (fine for commands that only need the frames).
    public let settings: ReconstructionSettings?
    /// The configuration's calibration transforms, overlaid by `request.calibrations` in order.
    public let calibration: TransformRepository
    /// One line per obsolete PLUS attribute in the configuration, saying how it was read.
    public let notices: [String]
    /// The devices' `LocalTimeOffsetSec` (video, tracker), for pairing a separate tracker recording.
    public let localTimeOffsets: (video: Double, tracker: Double)

    /// Loads and combines everything `request` names.
    public init(_ request: Request) throws {
        try request.validate()
        let configPath = request.config ?? request.recording.flatMap(Self.configBeside)
        self.configPath = configPath
        // Before anything is read: no output may replace an input or another output. (Without
        // outputs, e.g. replay or a library caller, each reader still refuses non-regular files.)
        if !request.outputs.isEmpty { try request.pathGuard(configPath: configPath).check() }
        let request = try request.onGridVolume()
        self.request = request
        var calibration = TransformRepository()
        var settings: ReconstructionSettings?
        var notices: [String] = []
        var offsets = (video: 0.0, tracker: 0.0)
        if let configPath {
            let device = try DeviceSetConfiguration.load(configPath)
            calibration = device.transformRepository()
            if let element = device.volumeReconstruction {
                notices = ReconstructionSettings.obsoleteAttributeNotices(element.attributes).map { "\(configPath): \($0)" }
                settings = try ReconstructionSettings(element: element)
            }
            if request.tracker != nil { offsets = try device.localTimeOffsets() }
        }
        self.notices = notices
        localTimeOffsets = offsets
        for path in request.calibrations {
            let overlay = try DeviceSetConfiguration.load(path)
            guard !overlay.coordinateDefinitionDetails.isEmpty else { throw ReconstructionSetupError.calibrationWithoutTransforms(path: path) }
            for d in overlay.coordinateDefinitionDetails { calibration.set(d.name, d.matrix, persistent: true) }
        }
        if settings == nil, let s = request.spacing.first { settings = ReconstructionSettings(outputSpacing: SIMD3(repeating: s)) }
        if var s = settings {
            request.apply(to: &s)
            settings = s
        }
        self.settings = settings
        self.calibration = calibration
    }

    /// The settings, or an error saying how to provide them (for commands that reconstruct).
    public func requiredSettings() throws(ReconstructionSetupError) -> ReconstructionSettings {
        if let settings { return settings }
        if let configPath { throw .noVolumeReconstruction(config: configPath) }
        throw .noConfiguration(besideRecording: request.recording.map { SequenceFile.stem(of: $0) + ".config.xml" })
    }

    /// The transform that places frames: the settings' frames, else the requested ones, else
    /// PLUS's defaults (`ImageToReference`).
    public var imageToReferenceName: TransformName {
        settings?.imageToReferenceName
            ?? TransformName(from: request.imageFrame ?? "Image", to: request.referenceFrame ?? "Reference")
    }

    /// The IMPORTANCE_MASK weights when the settings compound that way (nil otherwise): the
    /// `ImportanceMaskFilename` looked up beside the configuration, as given, then beside the
    /// recording.
    public func importanceMask() throws -> Image? {
        guard let settings, settings.compoundingMode == .importanceMask else { return nil }
        guard let name = settings.importanceMaskFilename else { throw ReconstructionSetupError.importanceMaskNotNamed }
        let candidates = importanceMaskCandidates(name)
        guard let path = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw ReconstructionSetupError.importanceMaskNotFound(name: name, candidates: candidates)
        }
        return try ImportanceMask.load(path)
    }

    /// The file `ImportanceMaskFilename` names, looked up as `importanceMask()` does (whatever
    /// the compounding mode), nil when none is named or found: an input to protect.
    public var importanceMaskPath: String? {
        guard let name = settings?.importanceMaskFilename else { return nil }
        return importanceMaskCandidates(name).first { FileManager.default.fileExists(atPath: $0) }
    }

    /// Where `ImportanceMaskFilename` `name` may be: beside the configuration, as given, beside the recording.
    private func importanceMaskCandidates(_ name: String) -> [String] {
        var candidates = [name]
        if let configPath { candidates.insert((configPath as NSString).deletingLastPathComponent + "/" + name, at: 0) }
        if let recording = request.recording { candidates.append((recording as NSString).deletingLastPathComponent + "/" + name) }
        return candidates
    }

    /// The offline pipeline for these settings and calibration (importance mask loaded).
    public func pipeline(threads: Int? = nil, memoryBudget: MemoryBudget = .default,
                         outputScalarType: ScalarType = .uint8) throws -> RecordingReconstruction {
        var pipeline = RecordingReconstruction(settings: try requiredSettings(), calibration: calibration, threads: threads,
                                               memoryBudget: memoryBudget, importanceMask: try importanceMask(),
                                               outputScalarType: outputScalarType)
        pipeline.tracker = try trackerTimeline()
        return pipeline
    }

    /// The separate tracker recording's poses (`request.tracker`), with the offset from
    /// `request.trackerOffset` or the devices' `LocalTimeOffsetSec`; nil without one.
    public func trackerTimeline() throws -> TrackerTimeline? {
        guard let tracker = request.tracker else { return nil }
        return try TrackerTimeline.load(path: tracker, video: localTimeOffsets.video,
                                        tracker: request.trackerOffset ?? localTimeOffsets.tracker)
    }

    /// The grid `freehand reconstruct` uses for the recording at `path`: the configured
    /// OutputOrigin/OutputExtent, else PLUS's automatic extent over every frame.
    public func grid(ofRecording path: String) throws -> VolumeGeometry {
        try RecordingReconstruction(settings: try requiredSettings(), calibration: calibration).outputGrid(path: path)
    }

    /// `<recording name>.config.xml` beside a recording (as `freehand simulate` writes), if present.
    public static func configBeside(_ recording: String) -> String? {
        [SequenceFile.stem(of: recording) + ".config.xml", recording + ".config.xml"].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The default volume name for a recording: `<recording name>.nrrd` in the current folder.
    public static func defaultOutputPath(for recording: String) -> String {
        (SequenceFile.stem(of: recording) as NSString).lastPathComponent + ".nrrd"
    }
}
