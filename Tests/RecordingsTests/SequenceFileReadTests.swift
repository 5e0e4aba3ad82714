import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Testing
@testable import Recordings

@Suite struct SequenceFileReadTests {
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsCompressedSpinePhantom() throws {
        let seq = try SequenceFile.read(PlusData.path("TestImages/SpinePhantomFreehand.igs.mha"))
        #expect(seq.frames.count == 21)
        #expect(seq.storedOrientation == .mf)
        #expect(seq.pixelSpacing == SIMD2(1, 1))
        let first = try #require(seq.frames.first)
        #expect(first.image.width == 820 && first.image.height == 616 && first.image.scalarType == .uint8)
        #expect(first.timestamp == 215.102186)
        #expect(first.imageStatus == .ok)
        let last = try #require(seq.frames.last)
        #expect(last.timestamp == 216.947186)
        let probe = try #require(last.transforms[TransformName("ProbeToTrackerTransform")!])
        #expect(probe.status == .ok)
        #expect(probe.matrix.elements == [0.238697, 0.94307, -0.231609, 178.871, -0.117659, -0.20866, -0.970885, -65.364,
                                          -0.96394, 0.258998, 0.0611545, -20.315, 0, 0, 0, 1])
        #expect(Set(first.transforms.keys.map(\.description)) == ["ProbeToTracker", "ReferenceToTracker", "StylusToTracker"])
        #expect(first.fields.isEmpty)
        // Pixels: checksum of all frames as Python's zlib decodes them (MF stored, no flip).
        let all = seq.frames.flatMap(\.image.bytes)
        #expect(checksum(all) == (381_829_485, 12_520_176_991_984))
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsUncompressedWithSpacing() throws {
        let seq = try SequenceFile.read(PlusData.path("TestImages/SyntheticVideoBuffer20.igs.mha"))
        #expect(seq.frames.count == 20)
        #expect(seq.pixelSpacing == SIMD2(0.3, 0.3))
        #expect(seq.frames[0].fields["FrameNumber"] == "0")
        #expect(seq.frames[0].fields["UnfilteredTimestamp"] == "0.5")
        #expect(seq.header.contains(where: { $0.key == "DefaultFrameTransformName" && $0.value == "ToolToTrackerTransform" }))
        #expect(checksum(seq.frames.flatMap(\.image.bytes)) == (17_058_480, 568_439_066_040))
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsPlusNrrd() throws {
        let seq = try SequenceFile.read(PlusData.path("TestImages/NrrdSample.igs.nrrd"))
        #expect(seq.frames.count == 1)
        let image = try #require(seq.frames.first?.image)
        #expect(image.width == 256 && image.height == 256 && image.scalarType == .int16)
        #expect(seq.frames[0].imageStatus == .ok)
        #expect(seq.header.contains(where: { $0.key == "ultrasound image type" && $0.value == "BRIGHTNESS" }))
        // Values and checksum pynrrd reads from the same file.
        #expect(image.value(x: 10, y: 20) == 0 && image.value(x: 200, y: 100) == 82)
        #expect(checksum(image.bytes) == (2_784_991, 100_128_581_657))
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsTrackerOnlyBuffer() throws {
        let seq = try SequenceFile.read(PlusData.path("TestImages/WaterTankBottomTranslationTrackerBuffer-trimmed.igs.mha"))
        #expect(seq.frames.count == 801)
        #expect(seq.frames[0].image.isEmpty)
        #expect(seq.frames[0].imageStatus == .invalid)
        #expect(seq.frames[0].transforms.count == 3)
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func streamingReaderMatchesWholeRead() throws {
        let path = PlusData.path("TestImages/SpinePhantomFreehand.igs.mha")
        let whole = try SequenceFile.read(path)
        var reader = try SequenceReader(path: path)
        #expect(reader.frameCount == 21)
        var i = 0
        while let frame = try reader.next() {
            #expect(frame.image == whole.frames[i].image)
            #expect(frame.timestamp == whole.frames[i].timestamp)
            i += 1
        }
        #expect(i == 21)
        let meta = try reader.metadata(ofFrame: 20)
        #expect(meta.image.isEmpty && meta.timestamp == whole.frames[20].timestamp && meta.transforms == whole.frames[20].transforms)
        var skipping = try SequenceReader(path: path)
        try skipping.skip(to: 17)
        #expect(try skipping.next()?.image == whole.frames[17].image)
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func transposesRFLayout() throws {
        // FM: x runs along the beam (3640 samples), y across the 96 scan lines.
        let seq = try SequenceFile.read(PlusData.path("TestImages/UltrasonixCurvilinearBrightnessData.igs.mha"))
        #expect(seq.storedOrientation == .fm)
        let image = try #require(seq.frames.first?.image)
        #expect(image.width == 96 && image.height == 3640)
        var reader = try SequenceReader(path: PlusData.path("TestImages/UltrasonixCurvilinearBrightnessData.igs.mha"))
        #expect(reader.imageSize == SIMD2(96, 3640))
        // Stored pixel (x = 5, y = 7) lands at (7, 5).
        let raw = try #require(try reader.next())
        var back = raw.image
        back.transpose()
        #expect(back.width == 3640 && image[7, 5] == back[5, 7])
    }

    @Test func flipsToMF() {
        var image = Image(width: 3, height: 2, bytes: [1, 2, 3, 4, 5, 6])
        image.flip(from: .un)
        #expect(image.bytes == [6, 5, 4, 3, 2, 1])
        image.flip(from: .mn)
        #expect(image.bytes == [3, 2, 1, 6, 5, 4])
        var wide = Image(width: 2, height: 1, components: 3, bytes: [1, 2, 3, 4, 5, 6])
        wide.flip(from: .uf)
        #expect(wide.bytes == [4, 5, 6, 1, 2, 3])
        var tall = Image(width: 3, height: 2, bytes: [1, 2, 3, 4, 5, 6])
        tall.flip(from: .fm)
        #expect(tall.width == 2 && tall.height == 3 && tall.bytes == [1, 4, 2, 5, 3, 6])
        var tallNU = Image(width: 3, height: 2, bytes: [1, 2, 3, 4, 5, 6])
        tallNU.flip(from: .nu)
        #expect(tallNU.bytes == [6, 3, 5, 2, 4, 1])
        var short = Image(width: 2, height: 1, scalarType: .int16, bytes: [1, 2, 3, 4])
        short.flipX()
        #expect(short.bytes == [3, 4, 1, 2])
    }
}

@Suite struct MetaImageVariantTests {
    /// Big-endian samples (`BinaryDataByteOrderMSB = True`) and a detached data file with a
    /// skipped leading block (`HeaderSize = -1`: the data is the file's last bytes).
    @Test func bigEndianAndHeaderSize() throws {
        let dir = PlusData.temporaryDirectory("freehand-variants")
        defer { try? FileManager.default.removeItem(at: dir) }
        let sequence = syntheticSequence(scalarType: .int16, frames: 3)
        let path = dir.appendingPathComponent("be.mhd").path
        try SequenceFile.write(sequence, to: path, compressed: false)
        let rawURL = dir.appendingPathComponent("be.raw")
        var raw = Array(try Data(contentsOf: rawURL))
        for i in stride(from: 0, to: raw.count, by: 2) { raw.swapAt(i, i + 1) }
        try Data(Array(repeating: 0xEE, count: 37) + raw).write(to: rawURL)
        var header = try String(contentsOfFile: path, encoding: .utf8)
        header = header.replacingOccurrences(of: "BinaryDataByteOrderMSB = False", with: "BinaryDataByteOrderMSB = True")
        header = header.replacingOccurrences(of: "ElementDataFile = be.raw", with: "HeaderSize = -1\nElementDataFile = be.raw")
        try header.write(toFile: path, atomically: true, encoding: .utf8)
        let back = try SequenceFile.read(path)
        #expect(back.frames.count == 3)
        for (a, b) in zip(sequence.frames, back.frames) { #expect(sameFrame(a, b)) }
    }
}
