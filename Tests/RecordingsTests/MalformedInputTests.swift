import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Testing
@testable import Recordings

@Suite struct MalformedInputTests {
    let dir = PlusData.temporaryDirectory("freehand-bad")

    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// The error `SequenceFile.read` throws, with checks that it names the file and `field`.
    func expectError(_ path: String, field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try SequenceFile.read(path)
            Issue.record("expected an error naming \(field)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.contains(path), "\(error)", sourceLocation: sourceLocation)
            #expect(error.description.contains(field), "\(error)", sourceLocation: sourceLocation)
        }
    }

    func validFile(_ name: String, compressed: Bool) throws -> [UInt8] {
        let path = dir.appendingPathComponent("valid-" + name).path
        try SequenceFile.write(syntheticSequence(frames: 3), to: path, compressed: compressed)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// `bytes` with the first occurrence of `old` replaced (byte-wise: the pixels are not text).
    func replacing(_ bytes: [UInt8], _ old: String, _ new: String) -> [UInt8] {
        let o = Array(old.utf8)
        guard let i = (0...(bytes.count - o.count)).first(where: { bytes[$0..<($0 + o.count)].elementsEqual(o) }) else {
            Issue.record("'\(old)' not found")
            return bytes
        }
        return Array(bytes[..<i]) + Array(new.utf8) + Array(bytes[(i + o.count)...])
    }

    @Test func truncatedRawData() throws {
        let good = try validFile("a.igs.mha", compressed: false)
        expectError(write("cut.igs.mha", Array(good.dropLast(10))), field: "DimSize")
    }

    @Test func truncatedCompressedData() throws {
        let good = try validFile("b.igs.mha", compressed: true)
        expectError(write("cutz.igs.mha", Array(good.dropLast(10))), field: "CompressedDataSize")
        let nrrd = try validFile("c.igs.nrrd", compressed: true)
        expectError(write("cut.igs.nrrd", Array(nrrd.dropLast(30))), field: "encoding")
    }

    @Test func wrongDimSize() throws {
        let good = try validFile("d.igs.mha", compressed: false)
        expectError(write("dims.igs.mha", replacing(good, "DimSize = 7 5 3", "DimSize = 7 6 3")), field: "DimSize")
        let zgood = try validFile("e.igs.mha", compressed: true)
        expectError(write("dimsz.igs.mha", replacing(zgood, "DimSize = 7 5 3", "DimSize = 7 5 4")), field: "ElementDataFile")
        // Absurd sizes fail before any allocation.
        expectError(write("huge.igs.mha", replacing(good, "DimSize = 7 5 3", "DimSize = 100000 100000 100000")), field: "DimSize")
        expectError(write("hugez.igs.mha", replacing(zgood, "DimSize = 7 5 3", "DimSize = 100000 100000 100000")), field: "DimSize")
        expectError(write("neg.igs.mha", replacing(good, "DimSize = 7 5 3", "DimSize = 7 -5 3")), field: "DimSize")
        expectError(write("ndims.igs.mha", replacing(good, "DimSize = 7 5 3", "DimSize = 7 5")), field: "DimSize")
    }

    @Test func badNumbers() throws {
        let good = try validFile("f.igs.mha", compressed: false)
        // A damaged per-frame field makes that frame's transform INVALID (with the reason), as
        // IGSIO's reader keeps the frame; the file stays readable.
        let transform = replacing(good, "Seq_Frame0001_ProbeToTrackerTransform = 0.", "Seq_Frame0001_ProbeToTrackerTransform = x.")
        let t = try SequenceFile.read(write("t.igs.mha", transform))
        #expect(t.frames[1].problems == [.transformUnreadable(name: "ProbeToTracker")])
        #expect(t.frames[1].transforms[TransformName(from: "Probe", to: "Tracker")]?.status == .invalid)
        #expect(t.frames[0].problems.isEmpty && t.frames[2].problems.isEmpty)
        let short = replacing(good, "Seq_Frame0002_ReferenceToTrackerTransform = 1 0 0 0 0 1 0 0 0 0 1 0 0 0 0 1",
                              "Seq_Frame0002_ReferenceToTrackerTransform = 1 0 0 0 0 1 0 0 0 0 1 0 0 0 0")
        #expect(try SequenceFile.read(write("t15.igs.mha", short)).frames[2].problems == [.transformUnreadable(name: "ReferenceToTracker")])
        let ts = try SequenceFile.read(write("ts.igs.mha", replacing(good, "Seq_Frame0000_Timestamp = 100", "Seq_Frame0000_Timestamp = soon")))
        #expect(ts.frames[0].problems == [.timestampUnreadable(value: "soon")])
        #expect(ts.frames[0].timestamp == 0)
        expectError(write("sp.igs.mha", replacing(good, "ElementSpacing = 0.2 0.3 1", "ElementSpacing = 0.2 nan 1")), field: "ElementSpacing")
        expectError(write("ty.igs.mha", replacing(good, "MET_UCHAR", "MET_QUAD")), field: "ElementType")
        expectError(write("or.igs.mha", replacing(good, "UltrasoundImageOrientation = MFA", "UltrasoundImageOrientation = QQ")),
                    field: "UltrasoundImageOrientation")
        expectError(write("fr.igs.mha", replacing(good, "Seq_Frame0002_Timestamp", "Seq_Frame0009_Timestamp")), field: "Seq_Frame0009_Timestamp")
        expectError(write("nodata.igs.mha", replacing(good, "ElementDataFile = LOCAL", "Element = LOCAL")), field: "ElementDataFile")
        expectError(write("ext.igs.mha", replacing(good, "ElementDataFile = LOCAL", "ElementDataFile = missing.raw")), field: "ElementDataFile")
    }

    @Test func garbageFiles() {
        expectError(write("garbage.mha", (0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }), field: "ObjectType")
        expectError(write("empty.mha", []), field: "ElementDataFile")
        expectError(write("empty.nrrd", []), field: "magic")
        expectError(write("text.nrrd", Array("NRRD0004\ntype: uchar\n\n".utf8)), field: "dimension")
        expectError(dir.appendingPathComponent("absent.mha").path, field: "cannot open")
        expectError(write("x.txt", [1]), field: "unknown file format")
    }

    /// Every truncation and many byte flips of small valid files either read or throw a
    /// `RecordingError`; none crashes or allocates without bound.
    @Test func fuzzedFilesNeverCrash() throws {
        var rng = SystemRandomNumberGenerator()
        for (name, compressed) in [("g.igs.mha", true), ("h.igs.mha", false), ("i.igs.nrrd", true), ("j.seq.nrrd", false), ("k.igs.nrrd", false)] {
            let good = try validFile(name, compressed: compressed)
            let path = dir.appendingPathComponent("fuzz-" + name).path
            for cut in stride(from: 0, to: good.count, by: max(1, good.count / 60)) {
                _ = FileManager.default.createFile(atPath: path, contents: Data(good.prefix(cut)))
                do { _ = try SequenceFile.read(path) } catch { #expect(error.description.contains(path)) }
            }
            for _ in 0..<100 {
                var bytes = good
                for _ in 0..<3 { bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
                _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
                do { _ = try SequenceFile.read(path) } catch { #expect(error.description.contains(path)) }
            }
        }
    }

    @Test func volumeErrors() throws {
        let g = VolumeGeometry(dimensions: SIMD3(4, 3, 2), spacing: SIMD3(1, 1, 1), origin: .zero)
        let path = dir.appendingPathComponent("v.mha").path
        try VolumeFile.write(.uint8(Volume(geometry: g)), to: path, compressed: false)
        let good = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        do {
            _ = try VolumeFile.read(write("vcut.mha", Array(good.dropLast(1))))
            Issue.record("expected truncated")
        } catch {
            #expect(error.description.contains("vcut.mha") && error.description.contains("DimSize"))
        }
    }
}
