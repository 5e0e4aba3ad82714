import Foundation
import Geometry
import Imaging
import Recordings

/// Reconstructs a whole recorded sequence file, the way PLUS's VolumeReconstructor application
/// does: a first pass over all frames computes the output grid (unless the settings fix it),
/// a second pass pastes every `SkipInterval`-th frame, then holes are filled when enabled.
///
/// Recordings whose pixel data would not fit comfortably in memory are streamed from disk
/// twice with `SequenceReader` instead of being loaded whole.
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
    /// Frames handed to the reconstructor at once (all workers share a batch).
    public var batchSize = 64
    /// Pixel data above this many bytes is streamed from disk instead of loaded.
    public var streamingThresholdBytes = 512 << 20

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

    /// Reconstructs the sequence file at `path`; `progress` is called with the phase, the
    /// frames (or slabs) done and the total.
    public func run(path: String, progress: ((Phase, Int, Int) -> Void)? = nil) throws -> Result {
        let probe = try SequenceReader(path: path)
        let frameBytes = probe.imageSize.x * probe.imageSize.y * probe.components * probe.scalarType.byteCount
        let streamed = frameBytes * probe.frameCount > streamingThresholdBytes
        if streamed {
            let size = probe.imageSize
            return try reconstruct(frameCount: probe.frameCount, streamed: true, progress: progress,
                                   forEachPose: { visit in
                                       // Poses straight from the header: no pixel I/O for the extent pass.
                                       for i in 0..<probe.frameCount { try visit(i, try probe.metadata(ofFrame: i), size) }
                                   },
                                   forEachFrame: { visit in
                                       var reader = try SequenceReader(path: path)
                                       var i = 0
                                       while let frame = try reader.next() {
                                           try visit(i, frame)
                                           i += 1
                                       }
                                   })
        }
        let sequence = try SequenceFile.read(path)
        return try reconstruct(sequence, progress: progress)
    }

    /// Reconstructs frames already in memory.
    public func reconstruct(_ sequence: TrackedSequence, progress: ((Phase, Int, Int) -> Void)? = nil) throws -> Result {
        try reconstruct(frameCount: sequence.frames.count, streamed: false, progress: progress,
                        forEachPose: { visit in
                            for (i, frame) in sequence.frames.enumerated() {
                                try visit(i, frame, SIMD2(frame.image.width, frame.image.height))
                            }
                        },
                        forEachFrame: { visit in
                            for (i, frame) in sequence.frames.enumerated() { try visit(i, frame) }
                        })
    }

    /// The two passes: `forEachPose` gives every frame's transforms and image size (its image may
    /// be empty), for the extent; `forEachFrame` gives whole frames, for pasting.
    private func reconstruct(frameCount: Int, streamed: Bool, progress: ((Phase, Int, Int) -> Void)?,
                             forEachPose: ((Int, TrackedFrame, SIMD2<Int>) throws -> Void) throws -> Void,
                             forEachFrame: ((Int, TrackedFrame) throws -> Void) throws -> Void) throws -> Result {
        let step = max(1, settings.skipInterval)
        let name = settings.imageToReferenceName
        var geometry = try settings.configuredGrid()
        if geometry == nil {
            var builder = OutputGridBuilder(settings: settings)
            // Every frame counts for the extent, as in PLUS's SetOutputExtentFromFrameList;
            // SkipInterval thins only the pasting.
            try forEachPose { i, frame, size in
                let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: name)
                builder.add(width: size.x, height: size.y, imageToReference: m)
                progress?(.extent, i + 1, frameCount)
            }
            geometry = try builder.geometry()
        }
        if settings.method.isBackward { return try reconstructBackward(geometry: geometry!, frameCount: frameCount, streamed: streamed, progress: progress, forEachFrame: forEachFrame) }
        let reconstructor = try VolumeReconstructor(settings: settings, geometry: geometry!, calibration: calibration,
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
        var volume: AnyVolume
        var filled = 0
        let filler = HoleFiller(elements: settings.holeFilling, numberOfThreads: threads ?? settings.numberOfThreads)
        let fill = settings.fillHoles && !settings.holeFilling.isEmpty
        if fill { progress?(.holeFilling, 0, 1) }
        if let v = reconstructor.volumeUInt8() {
            let out = fill ? filler.fill(v, accumulation: accumulation.voxels) : v
            if fill { filled = Self.countFilled(out.voxels, accumulation.voxels) { $0 != 0 } }
            volume = .uint8(out)
        } else {
            let v = reconstructor.volumeFloat()!
            let out = fill ? filler.fill(v, accumulation: accumulation.voxels) : v
            if fill { filled = Self.countFilled(out.voxels, accumulation.voxels) { $0 != 0 } }
            volume = .float32(out)
        }
        if fill { progress?(.holeFilling, 1, 1) }
        return Result(volume: volume, accumulation: accumulation, statistics: reconstructor.statistics,
                      framesInFile: frameCount, framesSkippedByInterval: skippedByInterval,
                      emptyVoxels: empty, voxelsFilled: filled, streamed: streamed)
    }

    private static func countFilled<S>(_ voxels: [S], _ accumulation: [UInt16], _ nonZero: (S) -> Bool) -> Int {
        var n = 0
        for i in voxels.indices where accumulation[i] == 0 && nonZero(voxels[i]) { n += 1 }
        return n
    }
}
