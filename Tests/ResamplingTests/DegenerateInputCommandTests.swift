import Foundation
import FreehandTestSupport
import Imaging
import Recordings
import Testing

/// Exit 0 means a correct, non-empty result: `resample`, `reslice`, `register` and `volume set`
/// given degenerate inputs exit non-zero, name the file or field at fault and write nothing.
@Suite(.enabled(if: FreehandExecutable.isAvailable, "build the freehand executable first (scripts/test.sh does)"))
struct DegenerateInputCommandTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let arguments: [String]
        /// Fragments the message must contain (the file and what is wrong).
        let fragments: [String]
        /// A file that must not exist afterwards (nothing written).
        var absent: String? = "out.nrrd"
        var testDescription: String { name }
    }

    static let identity4x4 = "1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n"
    static func fcsv(_ points: [SIMD3<Double>]) -> String {
        var text = "# Markups fiducial file version = 4.11\n# CoordinateSystem = LPS\n# columns = id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID\n"
        for (i, p) in points.enumerated() { text += "\(i),\(p.x),\(p.y),\(p.z),0,0,0,1,1,1,0,P\(i),,\n" }
        return text
    }

    /// vol.nrrd (a ramp), zero.nrrd (all 0), transforms, a curve, landmark files and MetaImage
    /// headers with a zero-size grid and singular directions.
    static func fixture() throws -> URL {
        let dir = PlusData.temporaryDirectory("freehand-degenerate")
        let g = VolumeGeometry(dimensions: SIMD3(8, 9, 10), spacing: SIMD3(1, 1, 1), origin: .zero)
        try VolumeFile.write(.uint8(Volume(geometry: g, voxels: (0..<g.voxelCount).map { UInt8(1 + $0 % 200) })), to: dir.appendingPathComponent("vol.nrrd").path)
        try VolumeFile.write(.uint8(Volume(geometry: g, voxels: [UInt8](repeating: 0, count: g.voxelCount))), to: dir.appendingPathComponent("zero.nrrd").path)
        func write(_ text: String, _ name: String) throws { try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        try write("1 0 0 0\n0 1 0 nan\n0 0 1 0\n0 0 0 1\n", "nan.txt")
        try write("1 0 0 1000\n0 1 0 0\n0 0 1 0\n0 0 0 1\n", "far.txt")
        try write("1,1,1\n4,4,5\n7,8,9\n", "curve.csv")
        try write(fcsv([SIMD3(0, 0, 0), SIMD3(10, 0, 0)]), "two.fcsv")
        try write(fcsv([SIMD3(0, 0, 0), SIMD3(10, 0, 0), SIMD3(20, 0, 0), SIMD3(30, 0, 0)]), "collinear.fcsv")
        let meta = "ObjectType = Image\nNDims = 3\nElementType = MET_UCHAR\nElementSpacing = 1 1 1\n"
        try write(meta + "DimSize = 0 4 4\nElementDataFile = LOCAL\n", "empty.mha")
        try write(meta + "DimSize = 2 2 2\nTransformMatrix = 1 0 0 1 0 0 0 0 1\nElementDataFile = LOCAL\n\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}", "singular.mha")
        return dir
    }

    static let cases: [Case] = [
        Case(name: "resample: NaN in a transform file", arguments: ["resample", "vol.nrrd", "--spacing", "1", "--transform", "nan.txt", "-o", "out.nrrd"],
             fragments: ["nan.txt", "line 2", "row 2, column 4", "not a finite number"]),
        Case(name: "resample: no overlap with the output grid", arguments: ["resample", "vol.nrrd", "--reference", "vol.nrrd", "--transform", "far.txt", "-o", "out.nrrd"],
             fragments: ["vol.nrrd", "empty", "outside the output grid"]),
        Case(name: "resample: all-zero result", arguments: ["resample", "zero.nrrd", "--spacing", "2", "-o", "out.nrrd"],
             fragments: ["zero.nrrd", "every voxel is 0"]),
        Case(name: "resample: zero-size grid", arguments: ["resample", "vol.nrrd", "--spacing", "1", "--size", "0", "-o", "out.nrrd"],
             fragments: ["--size"]),
        Case(name: "reslice: output is the volume under another spelling", arguments: ["reslice", "vol.nrrd", "--curve", "curve.csv", "-o", "./vol.nrrd"],
             fragments: ["./vol.nrrd", "same file as the volume vol.nrrd"], absent: nil),
        Case(name: "reslice: all-zero slices", arguments: ["reslice", "zero.nrrd", "--curve", "curve.csv", "-o", "slices.igs.mha"],
             fragments: ["zero.nrrd", "curve.csv", "is 0"], absent: "slices.igs.mha"),
        Case(name: "register: fewer than 3 landmarks", arguments: ["register", "--fixed", "two.fcsv", "--moving", "two.fcsv", "-o", "t.tfm"],
             fragments: ["two.fcsv (fixed)", "two.fcsv (moving)", "at least 3 point pairs, got 2"], absent: "t.tfm"),
        Case(name: "register: collinear landmarks", arguments: ["register", "--fixed", "collinear.fcsv", "--moving", "collinear.fcsv", "--model", "similarity", "-o", "t.tfm"],
             fragments: ["collinear.fcsv (fixed)", "collinear"], absent: "t.tfm"),
        Case(name: "register: collinear landmarks, affine", arguments: ["register", "--fixed", "collinear.fcsv", "--moving", "collinear.fcsv", "--model", "affine", "-o", "t.tfm"],
             fragments: ["collinear.fcsv (fixed)", "collinear or coplanar"], absent: "t.tfm"),
        Case(name: "volume set: zero-size grid", arguments: ["volume", "set", "empty.mha", "--spacing", "2", "-o", "out.mha"],
             fragments: ["empty.mha", "DimSize", "no voxel"], absent: "out.mha"),
        Case(name: "volume set: singular directions kept from the input", arguments: ["volume", "set", "singular.mha", "--spacing", "2", "-o", "out.mha"],
             fragments: ["singular.mha", "TransformMatrix", "singular"], absent: "out.mha"),
        Case(name: "volume set: output is the input", arguments: ["volume", "set", "vol.nrrd", "--spacing", "2", "-o", "./vol.nrrd"],
             fragments: ["vol.nrrd", "overwrite the input"], absent: nil),
    ]

    @Test(arguments: cases)
    func refusedWithTheCause(_ c: Case) throws {
        let dir = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        let before = try Data(contentsOf: dir.appendingPathComponent("vol.nrrd"))
        let run = try FreehandExecutable.run(c.arguments, currentDirectory: dir)
        #expect(run.status != 0, "\(c.name): exit 0 with \(run.output)")
        for fragment in c.fragments { #expect(run.output.contains(fragment), "\(c.name): '\(fragment)' missing from: \(run.output)") }
        if let absent = c.absent { #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent(absent).path), "\(c.name) wrote \(absent)") }
        #expect(try Data(contentsOf: dir.appendingPathComponent("vol.nrrd")) == before, "\(c.name) changed an input")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".partial-") }
        #expect(leftovers.isEmpty, "\(c.name) left temporary files \(leftovers)")
    }

    /// The same inputs made sound succeed, so the refusals above are about the defect alone.
    @Test func soundInputsSucceed() throws {
        let dir = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Self.identity4x4.write(to: dir.appendingPathComponent("identity.txt"), atomically: true, encoding: .utf8)
        for arguments in [["resample", "vol.nrrd", "--reference", "vol.nrrd", "--transform", "identity.txt", "-o", "out.nrrd"],
                          ["reslice", "vol.nrrd", "--curve", "curve.csv", "-o", "slices.igs.mha"],
                          ["volume", "set", "vol.nrrd", "--spacing", "2", "-o", "set.nrrd"]] {
            let run = try FreehandExecutable.run(arguments, currentDirectory: dir)
            #expect(run.status == 0, "\(arguments): \(run.output)")
        }
    }
}
