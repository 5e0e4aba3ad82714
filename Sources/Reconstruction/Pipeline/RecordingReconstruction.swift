import Foundation
import Geometry
import Imaging
import Recordings

/// Reconstructs a whole recorded sequence file, the way PLUS's VolumeReconstructor application
/// does: a first pass over all frames computes the output grid (unless the settings fix it),
/// a second pass pastes every `SkipInterval`-th frame, then holes are filled when enabled.
///
/// `run(path:)` streams the recording from disk with `SequenceReader`, whatever its length: poses
/// come from the header for the extent, and frames are decoded on demand, `batchSize` at a time,
/// for pasting. Peak memory is the output grid, its accumulation buffer and one batch of frames.
public struct RecordingReconstruction {
    /// What the pipeline is doing, for progress reports.
    public enum Phase: String, Sendable {
        case extent = "computing extent"
        case paste = "pasting"
        case holeFilling = "filling holes"
    }

    /// What came out.
    public struct Result: Sendable {
        /// The reconstructed volume (8-bit or float).
        public var volume: AnyVolume
        /// Accumulated weights: 256 per full-weight hit, 0 where nothing landed.
        public var accumulation: Volume<UInt16>
        /// Frames pasted and skipped, pixels and voxel updates.
        public var statistics: ReconstructionStatistics
        /// Frames in the file.
        public var framesInFile: Int
        /// Frames left out by `SkipInterval`.
        public var framesSkippedByInterval: Int
        /// Voxels never hit by a pixel (before hole filling).
        public var emptyVoxels: Int
        /// Of those, voxels hole filling gave a non-zero value.
        public var voxelsFilled: Int
        /// Whether frames were streamed from disk rather than loaded at once.
        public var streamed: Bool
        /// Timestamp irregularities, counted (they do not affect a reconstruction from one
        /// combined recording; IGSIO's reader keeps such frames as they are).
        public var timestamps = TimestampReport()
    }

    /// The rules (`<VolumeReconstruction>`).
    public var settings: ReconstructionSettings
    /// Calibration transforms chained with each frame's tracker transforms.
    public var calibration: TransformRepository
    /// Worker count (nil: settings, then one per core).
    public var threads: Int?
    /// Refuses grids that would not fit.
    public var memoryBudget: MemoryBudget
    /// The mask for IMPORTANCE_MASK compounding.
    public var importanceMask: Image?
    /// `.uint8` or `.float32` (the settings' OutputScalarMode wins).
    public var outputScalarType: ScalarType
    /// Frames decoded and handed to the reconstructor at once (all workers share a batch); the
    /// only frame memory a run holds.
    public var batchSize = 64
    /// Poses from a separate tracker recording, paired with each frame by its timestamp
    /// (`--tracker`); nil when the recording carries its own poses.
    public var tracker: TrackerTimeline?
    /// Write an empty or nearly empty result instead of failing (`--allow-empty`).
    public var allowEmpty = false
    /// Below this fraction of the grid's voxels hit, a result counts as nearly empty and is an
    /// error unless `allowEmpty` (one voxel in a million: far below any real sweep's coverage).
    public static let minimumHitFraction = 1e-6
    /// Hole filling that would visit more voxels than this is refused before it starts (about an
    /// hour of work on a laptop core).
    public var holeFillingVisitLimit = 2_000_000_000_000

    public init(settings: ReconstructionSettings, calibration: TransformRepository = TransformRepository(),
                threads: Int? = nil, memoryBudget: MemoryBudget = .default, importanceMask: Image? = nil,
                outputScalarType: ScalarType = .uint8) {
        self.settings = settings
        self.calibration = calibration
        self.threads = threads
        self.memoryBudget = memoryBudget
        self.importanceMask = importanceMask
        self.outputScalarType = outputScalarType
    }

    /// Reconstructs the sequence file at `path`, streaming it (see the type's summary);
    /// `progress` is called with the phase, the frames (or slabs) done and the total.
    public func run(path: String, progress: ((Phase, Int, Int) -> Void)? = nil) throws -> Result {
        let probe = try SequenceReader(path: path)
        return try reconstruct(frameCount: probe.frameCount, imageSize: probe.imageSize, streamed: true, progress: progress,
                               forEachPose: { try forEachHeaderPose(of: probe, $0) },
                               forEachFrame: { visit in
                                   var reader = try probe.restarted()
                                   var i = 0
                                   while let frame = try reader.next() {
                                       try visit(i, paired(frame))
                                       i += 1
                                   }
                               })
    }

    /// The output grid a reconstruction of the sequence file at `path` uses: the configured
    /// OutputOrigin/OutputExtent, else PLUS's automatic extent over every frame's pose (read
    /// from the header, no pixel I/O). `listen --grid-from` uses this, so live and offline
    /// volumes share one grid.
    public func outputGrid(path: String, progress: ((Phase, Int, Int) -> Void)? = nil) throws -> VolumeGeometry {
        let probe = try SequenceReader(path: path)
        return try outputGrid(frameCount: probe.frameCount, progress: progress) { try forEachHeaderPose(of: probe, $0) }
    }

    /// Visits every frame's transforms straight from the header (no pixel I/O), with the image size.
    /// (paired with the tracker recording's poses when there is one).
    private func forEachHeaderPose(of probe: SequenceReader, _ visit: (Int, TrackedFrame, SIMD2<Int>) throws -> Void) throws {
        for i in 0..<probe.frameCount { try visit(i, paired(try probe.metadata(ofFrame: i)), probe.imageSize) }
    }

    /// The configured grid, else the automatic extent of the frames `forEachPose` visits.
    /// Every frame counts, as in PLUS's SetOutputExtentFromFrameList; SkipInterval thins only
    /// the pasting.
    private func outputGrid(frameCount: Int, progress: ((Phase, Int, Int) -> Void)?,
                            forEachPose: ((Int, TrackedFrame, SIMD2<Int>) throws -> Void) throws -> Void) throws -> VolumeGeometry {
        if let fixed = try settings.configuredGrid() { return fixed }
        return try survey(frameCount: frameCount, progress: progress, forEachPose: forEachPose).builder.geometry()
    }

    /// What one pass over every frame's pose finds: the automatic extent, timestamp
    /// irregularities and the INVALID frames by reason.
    private struct PoseSurvey {
        var builder: OutputGridBuilder
        var timestamps = TimestampReport()
        var invalidReasons: [String: Int] = [:]
    }

    private func survey(frameCount: Int, progress: ((Phase, Int, Int) -> Void)?,
                        forEachPose: ((Int, TrackedFrame, SIMD2<Int>) throws -> Void) throws -> Void) throws -> PoseSurvey {
        var survey = PoseSurvey(builder: OutputGridBuilder(settings: settings))
        let name = settings.imageToReferenceName
        try forEachPose { i, frame, size in
            survey.timestamps.add(frame)
            switch VolumeReconstructor.resolve(frame, calibration: calibration, name: name) {
            case let .success(m): survey.builder.add(width: size.x, height: size.y, imageToReference: m)
            case let .failure(reason):
                survey.invalidReasons[reason.description, default: 0] += 1
                survey.builder.addInvalid()
            }
            progress?(.extent, i + 1, frameCount)
        }
        return survey
    }

    /// Reconstructs frames already in memory.
    public func reconstruct(_ sequence: TrackedSequence, progress: ((Phase, Int, Int) -> Void)? = nil) throws -> Result {
        let size = sequence.frames.first { $0.image.width * $0.image.height > 0 }.map { SIMD2($0.image.width, $0.image.height) } ?? .zero
        return try reconstruct(frameCount: sequence.frames.count, imageSize: size, streamed: false, progress: progress,
                        forEachPose: { visit in
                            for (i, frame) in sequence.frames.enumerated() {
                                try visit(i, paired(frame), SIMD2(frame.image.width, frame.image.height))
                            }
                        },
                        forEachFrame: { visit in
                            for (i, frame) in sequence.frames.enumerated() { try visit(i, paired(frame)) }
                        })
    }

    /// The two passes: `forEachPose` gives every frame's transforms and image size (its image may
    /// be empty), for the extent; `forEachFrame` gives whole frames, for pasting. `imageSize` is
    /// the frames' size (zero when no frame holds pixels), for the empty-result checks.
    private func reconstruct(frameCount: Int, imageSize: SIMD2<Int>, streamed: Bool, progress: ((Phase, Int, Int) -> Void)?,
                             forEachPose: ((Int, TrackedFrame, SIMD2<Int>) throws -> Void) throws -> Void,
                             forEachFrame: ((Int, TrackedFrame) throws -> Void) throws -> Void) throws -> Result {
        try settings.validate()
        // Causes of an empty result that are known before any work: say them first, so a
        // tracker-only file or a clip rectangle off the image is never blamed on transforms.
        if frameCount == 0 { throw ReconstructionError.emptyResult("the recording holds no frames") }
        if !allowEmpty {
            if imageSize.x * imageSize.y == 0 {
                throw ReconstructionError.emptyResult("the recording holds no image pixels (\(imageSize.x)x\(imageSize.y) frames): it is a tracker-only sequence; pair it with a video recording (--tracker)")
            }
            if let cause = EmptyResultDiagnosis.maskCause(settings: settings, imageSize: imageSize) {
                throw ReconstructionError.emptyResult(cause)
            }
        }
        let step = max(1, settings.skipInterval)
        let name = settings.imageToReferenceName
        let survey = try self.survey(frameCount: frameCount, progress: progress, forEachPose: forEachPose)
        if survey.invalidReasons.values.reduce(0, +) == frameCount, settings.outputExtent == nil || !allowEmpty {
            throw ReconstructionError.emptyResult(EmptyResultDiagnosis.allInvalid(frameCount, reasons: survey.invalidReasons, transform: name.description))
        }
        let geometry = try settings.configuredGrid() ?? survey.builder.geometry()
        if settings.method.isBackward { return try reconstructBackward(geometry: geometry, frameCount: frameCount, streamed: streamed, progress: progress, forEachFrame: forEachFrame) }
        let scalar: ScalarType = settings.outputScalarMode.map { $0 == .uint8 ? .uint8 : .float32 } ?? (outputScalarType == .uint8 ? .uint8 : .float32)
        let fill = settings.fillHoles && !settings.holeFilling.isEmpty
        try memoryBudget.check(geometry, scalarType: scalar, holeFilling: fill ? settings.holeFilling : [])
        let reconstructor = try VolumeReconstructor(settings: settings, geometry: geometry, calibration: calibration,
                                                    outputScalarType: outputScalarType, threads: threads,
                                                    importanceMask: importanceMask, memoryBudget: memoryBudget)
        var batch: [TrackedFrame] = []
        batch.reserveCapacity(batchSize)
        var skippedByInterval = 0
        try forEachFrame { i, frame in
            guard i % step == 0 else { skippedByInterval += 1; return }
            batch.append(frame)
            if batch.count == batchSize {
                try reconstructor.add(frames: batch)
                batch.removeAll(keepingCapacity: true)
                progress?(.paste, i + 1, frameCount)
            }
        }
        if !batch.isEmpty { try reconstructor.add(frames: batch) }
        progress?(.paste, frameCount, frameCount)

        let accumulation = reconstructor.accumulation()
        let empty = accumulation.voxels.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
        let voxelCount = accumulation.voxels.count
        if !allowEmpty, Double(voxelCount - empty) < Self.minimumHitFraction * Double(voxelCount) || empty == voxelCount {
            throw ReconstructionError.emptyResult(EmptyResultDiagnosis.afterPasting(
                statistics: reconstructor.statistics, hit: voxelCount - empty, voxels: voxelCount, settings: settings))
        }
        var volume: AnyVolume
        var filled = 0
        let filler = HoleFiller(elements: settings.holeFilling, numberOfThreads: threads ?? settings.numberOfThreads)
        if fill {
            let visits = settings.holeFilling.reduce(0) { $0 &+ $1.visitsPerHole }
            let (total, overflow) = empty.multipliedReportingOverflow(by: visits)
            if overflow || total > holeFillingVisitLimit {
                throw ReconstructionError.holeFillingTooSlow(emptyVoxels: empty, visitsPerHole: visits, limit: holeFillingVisitLimit)
            }
        }
        let report: (Int, Int) -> Void = { done, total in progress?(.holeFilling, done, total) }
        if let v = reconstructor.volumeUInt8() {
            let out = fill ? filler.fill(v, accumulation: accumulation.voxels, progress: report) : v
            if fill { filled = Self.countFilled(out.voxels, accumulation.voxels) { $0 != 0 } }
            volume = .uint8(out)
        } else {
            let v = reconstructor.volumeFloat()!
            let out = fill ? filler.fill(v, accumulation: accumulation.voxels, progress: report) : v
            if fill { filled = Self.countFilled(out.voxels, accumulation.voxels) { $0 != 0 } }
            volume = .float32(out)
        }
        var result = Result(volume: volume, accumulation: accumulation, statistics: reconstructor.statistics,
                            framesInFile: frameCount, framesSkippedByInterval: skippedByInterval,
                            emptyVoxels: empty, voxelsFilled: filled, streamed: streamed)
        result.timestamps = survey.timestamps
        return result
    }

    /// `frame` with the tracker recording's poses at its time, when there is one.
    private func paired(_ frame: TrackedFrame) -> TrackedFrame {
        tracker?.pair(frame) ?? frame
    }

    private static func countFilled<S>(_ voxels: [S], _ accumulation: [UInt16], _ nonZero: (S) -> Bool) -> Int {
        var n = 0
        for i in voxels.indices where accumulation[i] == 0 && nonZero(voxels[i]) { n += 1 }
        return n
    }
}
