import Foundation
import Recordings

extension SweepSimulator {
    /// What `writeFiles` wrote and how long it took.
    public struct WrittenFiles: Sendable {
        /// The sequence, `<name>.config.xml` and `<name>.truth.json`.
        public var sequence: String, configuration: String, groundTruth: String
        /// Sequence file size in bytes.
        public var sequenceBytes: Int
        public var frameCount: Int
        public var renderTime: Duration, writeTime: Duration

        /// The lines `freehand simulate` prints.
        public var summary: String {
            """
            simulated \(frameCount) frames in \(renderTime), wrote in \(writeTime)
              sequence:      \(sequence) (\(sequenceBytes / 1024) KiB)
              configuration: \(configuration)
              ground truth:  \(groundTruth)
            """
        }
    }

    /// Renders the sweep and writes the sequence to `output` (any sequence format, by
    /// extension), `<name>.config.xml` beside it (calibration and a `<VolumeReconstruction>` with
    /// `outputSpacing`) and `<name>.truth.json`; creates the folder when needed.
    public func writeFiles(to output: String, outputSpacing: Double, compressed: Bool) throws -> WrittenFiles {
        let clock = ContinuousClock()
        let t0 = clock.now
        let sequence = makeSequence()
        let rendered = clock.now - t0
        let directory = (output as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        try SequenceFile.write(sequence, to: output, compressed: compressed)
        let written = clock.now - t0 - rendered

        let base = SequenceFile.stem(of: output)
        let configPath = base + ".config.xml", truthPath = base + ".truth.json"
        try deviceSetConfiguration(outputSpacing: outputSpacing, sequenceFileName: (output as NSString).lastPathComponent)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        try groundTruthJSON().write(toFile: truthPath, atomically: true, encoding: .utf8)
        let size = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        return WrittenFiles(sequence: output, configuration: configPath, groundTruth: truthPath, sequenceBytes: size,
                            frameCount: sequence.frames.count, renderTime: rendered, writeTime: written)
    }
}
