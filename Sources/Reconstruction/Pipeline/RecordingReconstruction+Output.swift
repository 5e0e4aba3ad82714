import Foundation
import Imaging
import Recordings

extension RecordingReconstruction.Result {
    /// The files a reconstruction writes.
    public struct Outputs: Sendable, Equatable {
        /// The volume (.nrrd, .mha or .mhd).
        public var volume: String
        /// The accumulation (weight) volume, 256 per full-weight hit.
        public var accumulation: String?
        /// A PNG of maximum-intensity projections along z, y and x.
        public var preview: String?
        /// Whether the volumes' voxels are compressed (gzip for `.nrrd`, zlib for `.mha`/`.mhd`).
        public var compressed: Bool

        public init(volume: String, accumulation: String? = nil, preview: String? = nil, compressed: Bool = true) {
            self.volume = volume
            self.accumulation = accumulation
            self.preview = preview
            self.compressed = compressed
        }

        /// The files as a setup request lists them, for the path check.
        public var requested: [ReconstructionSetup.Request.Output] {
            var list = [ReconstructionSetup.Request.Output("output volume", volume)]
            if let accumulation { list.append(.init("accumulation volume", accumulation)) }
            if let preview { list.append(.init("preview", preview, isVolume: false)) }
            return list
        }
    }

    /// Writes the volume and the optional accumulation volume and preview picture.
    ///
    /// Each file goes to a temporary name and is renamed into place when complete; check the
    /// paths against the inputs first (`requested` with `ReconstructionSetup.Request.outputs`).
    public func write(_ outputs: Outputs) throws {
        try VolumeFile.write(volume, to: outputs.volume, compressed: outputs.compressed)
        if let path = outputs.accumulation { try VolumeFile.write(.uint16(accumulation), to: path, compressed: outputs.compressed) }
        if let path = outputs.preview { try PNG.write(volume.previewImage(), to: path) }
    }

    /// Fraction of the grid's voxels hit by at least one pixel (before hole filling).
    public var coverage: Double {
        let count = volume.geometry.voxelCount
        return Double(count - emptyVoxels) / Double(max(1, count))
    }

    /// The one-line summary `freehand reconstruct` prints, e.g. `freehand: 119 frames used,
    /// 1 skipped (1 invalid transform); 120x80x60 voxels at 0.5 mm, origin (...), 41.2% hit;
    /// 1.23 s -> phantom.nrrd`.
    public func summary(seconds: Double, output: String) -> String {
        var text = "freehand: " + statistics.summary
        if framesSkippedByInterval > 0 { text += ", \(framesSkippedByInterval) left out by skip interval" }
        if let t = timestamps.summary { text += "; " + t }
        text += "; " + volume.geometry.summary + String(format: ", %.1f%% hit", 100 * coverage)
        if voxelsFilled > 0 { text += ", \(voxelsFilled) holes filled" }
        return text + String(format: "; %.2f s -> ", seconds) + output
    }
}
