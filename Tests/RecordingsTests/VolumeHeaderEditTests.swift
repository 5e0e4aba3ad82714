import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Testing
@testable import Recordings

/// `freehand volume set`: only the geometry changes; the data section is the same bytes.
@Suite struct VolumeHeaderEditTests {
    static func sample() -> AnyVolume {
        let g = VolumeGeometry(dimensions: SIMD3(7, 5, 4), spacing: SIMD3(1, 1, 1), origin: SIMD3(3, -2, 5))
        return .uint16(Volume(geometry: g, voxels: (0..<g.voxelCount).map { UInt16(truncatingIfNeeded: $0 &* 2741 &+ 17) }))
    }

    /// The bytes after the header (found independently: NRRD's blank line, MetaImage's
    /// `ElementDataFile` line), or the whole detached data file.
    static func dataSection(_ path: String) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let text = String(decoding: bytes.prefix(1 << 20), as: UTF8.self)
        if let r = text.range(of: "data file: ") ?? text.range(of: "ElementDataFile = "), !text[r.upperBound...].hasPrefix("LOCAL") {
            let name = text[r.upperBound...].prefix(while: { $0 != "\n" })
            let dataPath = name.hasPrefix("/") ? String(name) : (path as NSString).deletingLastPathComponent + "/" + name
            return [UInt8](try Data(contentsOf: URL(fileURLWithPath: dataPath)))
        }
        let marker = path.hasSuffix(".nrrd") ? Array("\n\n".utf8) : Array("ElementDataFile = LOCAL\n".utf8)
        let start = try #require((0..<bytes.count).first { bytes[$0..<min(bytes.count, $0 + marker.count)].elementsEqual(marker) })
        return Array(bytes[(start + marker.count)...])
    }

    /// SimpleITK's spacing, origin, directions (rounded to 1e-12: ITK normalises NRRD axis vectors
    /// itself) and a checksum of its decoded voxel array.
    static func simpleITK(_ path: String) -> String? {
        Python.run("""
        import sys, hashlib, SimpleITK as sitk
        im = sitk.ReadImage(sys.argv[1])
        print(repr(im.GetSpacing()), repr(im.GetOrigin()), repr(tuple(round(d, 12) + 0.0 for d in im.GetDirection())), hashlib.sha1(sitk.GetArrayViewFromImage(im).tobytes()).hexdigest())
        """, [path])
    }

    func edit(_ input: String, _ output: String, _ edit: GeometryEdit) throws -> VolumeSummary {
        let before = try Self.dataSection(input)
        let summary = try VolumeHeaderEditor.apply(edit, input: input, output: output)
        let after = try Self.dataSection(output)
        #expect(checksum(before) == checksum(after), "\(output): data section changed")
        #expect(before == after, "\(output)")
        return summary
    }

    @Test(arguments: ["v.nrrd", "v.mha", "v.mhd"], [true, false])
    func volumeSpacingOriginDirections(name: String, compressed: Bool) throws {
        let dir = PlusData.temporaryDirectory("freehand-vset")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent(name).path
        try VolumeFile.write(Self.sample(), to: input, compressed: compressed)
        let output = dir.appendingPathComponent("out").appendingPathComponent("edited" + (name as NSString).pathExtension.withDot).path
        try FileManager.default.createDirectory(atPath: (output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let s = try edit(input, output, GeometryEdit(spacing: [0.00325, 0.00325, 0.005], origin: [-1.5, 2.25, 7], directions: [0, 1, 0, 1, 0, 0, 0, 0, -1]))
        #expect(s.spacing == [0.00325, 0.00325, 0.005] && s.origin == [-1.5, 2.25, 7] && s.directions == [0, 1, 0, 1, 0, 0, 0, 0, -1])
        let back = try VolumeFile.read(output)
        #expect(back.rawBytes == Self.sample().rawBytes)
        if let before = Self.simpleITK(input), let after = Self.simpleITK(output) {
            #expect(after.hasPrefix("(0.00325, 0.00325, 0.005) (-1.5, 2.25, 7.0) (0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, -1.0) "), "\(after)")
            #expect(after.suffix(40) == before.suffix(40), "SimpleITK reads other values")
        }
        // Centre: the middle of the grid lands on (0,0,0).
        let centred = dir.appendingPathComponent("c" + (name as NSString).pathExtension.withDot).path
        let c = try edit(output, centred, GeometryEdit(center: true))
        #expect(abs(c.origin[0] + 0.00325 * 2) < 1e-12 && abs(c.origin[1] + 0.00325 * 3) < 1e-12 && abs(c.origin[2] - 0.005 * 1.5) < 1e-12, "\(c.origin)")
    }

    @Test func detachedNrrdHeaderOnly() throws {
        let dir = PlusData.temporaryDirectory("freehand-vset-nhdr")
        defer { try? FileManager.default.removeItem(at: dir) }
        let raw = Self.sample().rawBytes
        try Data(raw).write(to: dir.appendingPathComponent("v.raw"))
        let header = """
        NRRD0004
        type: unsigned short
        dimension: 3
        space: right-anterior-superior
        sizes: 7 5 4
        space directions: (1,0,0) (0,1,0) (0,0,1)
        kinds: domain domain domain
        endian: little
        encoding: raw
        space origin: (3,-2,5)
        data file: v.raw

        """
        let input = dir.appendingPathComponent("v.nhdr").path
        try header.write(toFile: input, atomically: true, encoding: .utf8)
        let output = dir.appendingPathComponent("e.nhdr").path
        let s = try edit(input, output, GeometryEdit(spacing: [0.5, 0.25, 2], origin: [1, 2, 3]))
        #expect(s.spacing == [0.5, 0.25, 2] && s.origin == [1, 2, 3])
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("space: right-anterior-superior\n") && text.contains("space origin: (-1,-2,3)\n") && text.contains("data file: v.raw\n"))
        #expect(text.contains("space directions: (0.5,0,0) (0,0.25,0) (0,0,2)\n"))
        if let after = Self.simpleITK(output) { #expect(after.hasPrefix("(0.5, 0.25, 2.0) (1.0, 2.0, 3.0) "), "\(after)") }
        // A header written elsewhere points at the data by absolute path; the data file itself is never a target.
        let sub = dir.appendingPathComponent("sub").path
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        _ = try edit(input, sub + "/e.nhdr", GeometryEdit(spacing: [2]))
        #expect(try String(contentsOfFile: sub + "/e.nhdr", encoding: .utf8).contains("data file: " + dir.appendingPathComponent("v.raw").path))
        #expect(throws: RecordingError.self) { try VolumeHeaderEditor.apply(GeometryEdit(spacing: [2]), input: input, output: input) }
        #expect(throws: RecordingError.self) { try VolumeHeaderEditor.apply(GeometryEdit(spacing: [2]), input: input, output: dir.appendingPathComponent("v.raw").path) }
        #expect(try Data(contentsOf: dir.appendingPathComponent("v.raw")) == Data(raw))
    }

    @Test(arguments: ["s.igs.mha", "s.igs.nrrd", "s.seq.nrrd"])
    func sequenceImageSpacing(name: String) throws {
        let dir = PlusData.temporaryDirectory("freehand-vset-seq")
        defer { try? FileManager.default.removeItem(at: dir) }
        var frames: [TrackedFrame] = []
        for i in 0..<3 {
            var f = TrackedFrame(image: Image(width: 6, height: 4, bytes: (0..<24).map { UInt8(($0 * 7 + i * 31) % 251) }), timestamp: Double(i) * 0.1)
            f.transforms[TransformName(from: "Image", to: "Probe")] = TrackedTransform(matrix: .scaling(SIMD3(0.2, 0.2, 0.2)), status: .ok)
            frames.append(f)
        }
        let input = dir.appendingPathComponent(name).path
        try SequenceFile.write(TrackedSequence(frames: frames, pixelSpacing: SIMD2(1, 1)), to: input)
        let info = try VolumeSummary(path: input, valueRange: true)
        #expect(info.isSequence && info.frameCount == 3 && info.imageToProbeSpacing == SIMD3(0.2, 0.2, 0.2))
        let output = dir.appendingPathComponent("e" + name).path
        let s = try edit(input, output, GeometryEdit(spacing: [0.2]))
        #expect(s.spacing.prefix(2) == [0.2, 0.2])
        let back = try SequenceFile.read(output)
        #expect(back.pixelSpacing == SIMD2(0.2, 0.2))
        #expect(back.frames.map(\.image.bytes) == frames.map(\.image.bytes))
        #expect(back.frames.map(\.timestamp) == frames.map(\.timestamp))
        if !name.hasSuffix(".seq.nrrd"), let after = Self.simpleITK(output), let before = Self.simpleITK(input) {
            #expect(after.hasPrefix("(0.2, 0.2"), "\(after)")
            #expect(after.suffix(40) == before.suffix(40))
        }
        #expect(throws: RecordingError.self) { try VolumeHeaderEditor.apply(GeometryEdit(center: true), input: input, output: output + ".x" + (name as NSString).pathExtension.withDot) }
    }

    @Test func badInputIsRefusedAndNothingIsWritten() throws {
        let dir = PlusData.temporaryDirectory("freehand-vset-bad")
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("v.nrrd").path
        try VolumeFile.write(Self.sample(), to: input)
        let out = dir.appendingPathComponent("o.nrrd").path
        for bad in [GeometryEdit(spacing: [0]), GeometryEdit(spacing: [.nan]), GeometryEdit(spacing: [1, -1, 1]), GeometryEdit(),
                    GeometryEdit(directions: [1, 0, 0, 1, 0, 0, 0, 0, 1]), GeometryEdit(origin: [1, 2])] {
            #expect(throws: RecordingError.self) { try VolumeHeaderEditor.apply(bad, input: input, output: out) }
        }
        #expect(throws: RecordingError.self) { try VolumeHeaderEditor.apply(GeometryEdit(spacing: [1]), input: input, output: dir.appendingPathComponent("o.mha").path) }
        #expect(throws: RecordingError.self) { try VolumeHeaderEditor.apply(GeometryEdit(spacing: [1]), input: input, output: input) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["v.nrrd"])
    }
}

extension String {
    fileprivate var withDot: String { isEmpty ? "" : "." + self }
}
