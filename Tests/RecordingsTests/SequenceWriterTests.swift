import Foundation
import FreehandTestSupport
import Imaging
import Testing
@testable import Recordings

@Suite struct SequenceWriterTests {
    @Test func fileIsReadableAfterEveryAppend() throws {
        let dir = PlusData.temporaryDirectory("freehand-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("live.mhd").path
        let sequence = syntheticSequence(components: 1, frames: 6)
        let writer = try SequenceWriter(path: path, pixelSpacing: sequence.pixelSpacing, header: sequence.header)
        #expect(try SequenceFile.read(path).frames.isEmpty)
        for (i, frame) in sequence.frames.enumerated() {
            try writer.append(frame)
            // Read back while the writer is still open, as a crash right now would leave it.
            let back = try SequenceFile.read(path)
            #expect(back.frames.count == i + 1)
            #expect(back.pixelSpacing == sequence.pixelSpacing)
            for (a, b) in zip(sequence.frames, back.frames) { #expect(sameFrame(a, b)) }
        }
        try writer.close()
        let back = try SequenceFile.read(path)
        #expect(back.frames.count == 6)
        #expect(back.header.map(\.value) == ["BRIGHTNESS"])
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test func unflushedPixelsAreIgnoredUntilFlush() throws {
        let dir = PlusData.temporaryDirectory("freehand-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("batched.mhd").path
        let sequence = syntheticSequence(frames: 5)
        let writer = try SequenceWriter(path: path, flushInterval: 3)
        for frame in sequence.frames.prefix(4) { try writer.append(frame) }
        // Four frames' pixels are in the .raw file, but the header was last written at three.
        #expect(writer.flushedFrameCount == 3)
        #expect(try SequenceFile.read(path).frames.count == 3)
        try writer.flush()
        #expect(try SequenceFile.read(path).frames.count == 4)
        try writer.append(sequence.frames[4])
        try writer.close()
        let back = try SequenceFile.read(path)
        #expect(back.frames.count == 5)
        for (a, b) in zip(sequence.frames, back.frames) { #expect(sameFrame(a, b)) }
    }

    @Test func rejectsFrameOfAnotherSize() throws {
        let dir = PlusData.temporaryDirectory("freehand-writer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mixed.mhd").path
        let writer = try SequenceWriter(path: path)
        try writer.append(TrackedFrame(image: Image(width: 4, height: 4), timestamp: 1))
        #expect(throws: RecordingError.self) {
            try writer.append(TrackedFrame(image: Image(width: 5, height: 4), timestamp: 2))
        }
        try writer.close()
        #expect(try SequenceFile.read(path).frames.count == 1)
        #expect(throws: RecordingError.self) { try SequenceWriter(path: dir.appendingPathComponent("x.mha").path) }
    }
}
