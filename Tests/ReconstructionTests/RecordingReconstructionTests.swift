import FreehandTestSupport
import Imaging
import Recordings
import Testing
@testable import Reconstruction

/// The whole-recording pipeline on the bundled simulator sample (no external data needed).
@Suite struct RecordingReconstructionTests {
    static let sample = PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.igs.mha").path
    static let config = PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.config.xml").path

    static func pipeline() throws -> RecordingReconstruction {
        let device = try DeviceSetConfiguration.load(config)
        let element = try #require(device.volumeReconstruction)
        let settings = try ReconstructionSettings(element: element)
        return RecordingReconstruction(settings: settings, calibration: device.transformRepository(), threads: 2)
    }

    @Test func streamingFromDiskGivesTheSameVolumeAsLoading() throws {
        let loaded = try Self.pipeline().reconstruct(try SequenceFile.read(Self.sample))
        var streaming = try Self.pipeline()
        streaming.batchSize = 7
        let streamed = try streaming.run(path: Self.sample)
        #expect(!loaded.streamed && streamed.streamed)
        #expect(loaded.volume.geometry == streamed.volume.geometry)
        #expect(loaded.volume.rawBytes == streamed.volume.rawBytes)
        #expect(loaded.accumulation.voxels == streamed.accumulation.voxels)
        // The sample has one frame with an INVALID probe transform; it is skipped and counted.
        #expect(loaded.statistics.framesSkippedInvalidTransform == 1)
        #expect(loaded.statistics.framesPasted == loaded.framesInFile - 1)
    }

    @Test func skipIntervalLeavesOutFramesAndCountsThem() throws {
        var p = try Self.pipeline()
        p.settings.skipInterval = 3
        let r = try p.run(path: Self.sample)
        #expect(r.framesSkippedByInterval == r.framesInFile - (r.framesInFile + 2) / 3)
        #expect(r.statistics.framesPasted + r.statistics.framesSkippedInvalidTransform == (r.framesInFile + 2) / 3)
    }

    @Test func holeFillingFillsNeverHitVoxels() throws {
        var p = try Self.pipeline()
        p.settings.skipInterval = 4
        p.settings.fillHoles = true
        p.settings.holeFilling = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)]
        let r = try p.run(path: Self.sample)
        #expect(r.emptyVoxels > 0)
        #expect(r.voxelsFilled > r.emptyVoxels / 10)
    }

    @Test func refusesAGridThatDoesNotFitBeforeAllocating() throws {
        var p = try Self.pipeline()
        p.settings.outputSpacing = SIMD3(repeating: 0.01)
        p.memoryBudget = MemoryBudget(limitBytes: 1 << 30)
        #expect {
            _ = try p.run(path: Self.sample)
        } throws: { error in
            guard case .volumeTooLarge(_, let voxels, let bytes, _)? = error as? ReconstructionError else { return false }
            return voxels > 1_000_000_000 && bytes == voxels * 3
        }
    }
}
