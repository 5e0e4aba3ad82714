import Geometry
import Imaging
import Recordings

extension RecordingReconstruction {
    /// The pipeline's second pass for a backward method: frames (every `SkipInterval`-th, in
    /// order) are reduced as they arrive, then every voxel is computed. Hole filling is not
    /// applied: the methods fill the gaps between frames themselves.
    func reconstructBackward(geometry: VolumeGeometry, frameCount: Int, streamed: Bool,
                             progress: ((Phase, Int, Int) -> Void)?,
                             forEachFrame: ((Int, TrackedFrame) throws -> Void) throws -> Void) throws -> Result {
        let step = max(1, settings.skipInterval)
        let reconstructor = try BackwardReconstructor(settings: settings, geometry: geometry, outputScalarType: outputScalarType,
                                                      threads: threads, memoryBudget: memoryBudget)
        var batch: [(image: Image, imageToReference: Transform3D)] = []
        var skippedByInterval = 0, invalid = 0
        let name = settings.imageToReferenceName
        try forEachFrame { i, frame in
            guard i % step == 0 else { skippedByInterval += 1; return }
            guard let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: name) else { invalid += 1; return }
            batch.append((frame.image, m))
            if batch.count == batchSize {
                try reconstructor.add(images: batch)
                batch.removeAll(keepingCapacity: true)
                progress?(.paste, i + 1, frameCount)
            }
        }
        if !batch.isEmpty { try reconstructor.add(images: batch) }
        progress?(.paste, frameCount, frameCount)
        let r = try reconstructor.reconstruct()
        var statistics = ReconstructionStatistics()
        statistics.framesPasted = r.framesUsed
        statistics.framesSkippedInvalidTransform = invalid + r.framesSkipped
        let accumulation = Volume(geometry: geometry, voxels: r.coverage.voxels.map { UInt16($0) * 256 })
        return Result(volume: r.volume, accumulation: accumulation, statistics: statistics, framesInFile: frameCount,
                      framesSkippedByInterval: skippedByInterval, emptyVoxels: geometry.voxelCount - r.coveredVoxels,
                      voxelsFilled: 0, streamed: streamed)
    }
}
