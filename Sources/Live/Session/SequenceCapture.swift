import Foundation
import Recordings

/// Appends live frames to a PLUS sequence on disk, for `freehand record` and for Plus Remote's
/// StartRecording/StopRecording: frames go to a `SequenceWriter` (`.mhd` + `.raw`, a complete
/// readable sequence after every flush, so a killed process loses at most the frames since the
/// last flush); when the requested output is another format (e.g. `.igs.mha`), `finish()`
/// streams them into it with `SequenceStreamWriter` (temporary name, renamed into place) and
/// removes the live files.
final class SequenceCapture {
    /// The requested output.
    let output: String
    /// The `.mhd` frames are appended to while capturing.
    let livePath: String
    /// Frames written, and frames the writer refused (e.g. another size than the first frame's).
    private(set) var framesWritten = 0
    private(set) var framesNotWritten = 0
    /// Frames given without a pose (written with ImageToReference INVALID).
    private(set) var framesWithoutPose = 0
    /// Why the first refused frame was refused.
    private(set) var firstRefusal: String?

    private let writer: SequenceWriter

    /// Starts capturing to `output` (the live files are `LiveRecorder.livePath(for: output)` and its `.raw`).
    init(output: String, flushEvery: Int = 1) throws(RecordingError) {
        self.output = output
        livePath = LiveRecorder.livePath(for: output)
        writer = try SequenceWriter(path: livePath, header: [(key: "UltrasoundImageOrientation", value: "MF")],
                                    flushInterval: max(1, flushEvery))
    }

    /// The live pixel file beside `livePath`.
    var dataPath: String { writer.dataPath }

    /// Appends frames in order, numbering them; those without a pose are written with ImageToReference INVALID.
    func append(_ frames: [PairedFrame]) {
        for f in frames {
            var frame = f.trackedFrame
            frame.fields["FrameNumber"] = String(framesWritten)
            if f.imageToReference == nil { framesWithoutPose += 1 }
            do {
                try writer.append(frame)
                framesWritten += 1
            } catch {
                if firstRefusal == nil { firstRefusal = "\(error)" }
                framesNotWritten += 1
            }
        }
    }

    /// Flushes and closes; converts to `output` when it is not the live `.mhd` (`compressed`
    /// pixels then) and removes the live files. Returns the file left on disk.
    @discardableResult
    func finish(compressed: Bool = true) throws(RecordingError) -> String {
        try close()
        return try Self.convert(livePath: livePath, dataPath: dataPath, to: output, compressed: compressed)
    }

    /// Flushes and closes the live files (they hold every frame appended).
    func close() throws(RecordingError) {
        try writer.close()
    }

    /// Writes the closed live sequence `livePath` as `output` (temporary name, renamed into
    /// place) and removes the live files; nothing to do when `output` is the live `.mhd`.
    /// Single-component frames are streamed one at a time (`SequenceStreamWriter`, poses from
    /// the header first), so a long recording never has to fit in memory; others (RGB, or a
    /// `.mhd` output) go through `SequenceFile`.
    static func convert(livePath: String, dataPath: String, to output: String, compressed: Bool) throws(RecordingError) -> String {
        guard livePath != output else { return livePath }
        var reader = try SequenceReader(path: livePath)
        if reader.components == 1, !output.lowercased().hasSuffix(".mhd") {
            var frames: [TrackedFrame] = []
            frames.reserveCapacity(reader.frameCount)
            for i in 0..<reader.frameCount { frames.append(try reader.metadata(ofFrame: i)) }
            let writer = try SequenceStreamWriter(path: output, frames: frames, width: reader.imageSize.x, height: reader.imageSize.y,
                                                  scalarType: reader.scalarType, pixelSpacing: reader.pixelSpacing,
                                                  header: reader.header, compressed: compressed)
            while let frame = try reader.next() { try writer.append(frame.image) }
            try writer.finish()
        } else {
            try SequenceFile.write(try SequenceFile.read(livePath), to: output, compressed: compressed)
        }
        try? FileManager.default.removeItem(atPath: dataPath)
        try? FileManager.default.removeItem(atPath: livePath)
        return output
    }
}
