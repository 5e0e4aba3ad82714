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
        var skipping = try SequenceReader(path: path)
        try skipping.skip(to: 17)
        #expect(try skipping.next()?.image == whole.frames[17].image)
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
        var short = Image(width: 2, height: 1, scalarType: .int16, bytes: [1, 2, 3, 4])
        short.flipX()
        #expect(short.bytes == [3, 4, 1, 2])
    }
}
