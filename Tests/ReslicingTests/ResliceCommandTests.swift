import Foundation
import FreehandTestSupport
import Recordings
import Testing

/// `freehand reslice` end to end on the bundled sample, as the README's worked example runs it.
@Suite(.enabled(if: FreehandExecutable.isAvailable, "build the freehand executable first (swift build)"))
struct ResliceCommandTests {
    let sample = PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.igs.mha").path

    func freehand(_ arguments: [String], in folder: URL) throws -> String {
        let (status, output) = try FreehandExecutable.run(arguments, currentDirectory: folder)
        #expect(status == 0, "freehand \(arguments.joined(separator: " ")): \(output)")
        return output
    }

    @Test func workedExampleOnTheBundledSample() throws {
        let folder = PlusData.temporaryDirectory("freehand-reslice-cli")
        _ = try freehand(["reconstruct", sample, "--spacing", "1", "-o", "phantom.nrrd", "-q"], in: folder)
        // Back into the sweep's frames.
        let poses = try freehand(["reslice", "phantom.nrrd", "--poses", sample, "-o", "resliced.igs.mha"], in: folder)
        #expect(poses.contains("120 slices"))
        let resliced = try SequenceFile.read(folder.appendingPathComponent("resliced.igs.mha").path)
        #expect(resliced.frames.count == 120 && resliced.frames[0].image.width == 256 && resliced.frames[0].image.height == 200)
        // Along a curve through the three spheres.
        try "x,y,z\n-14,20,8\n-10,15,20\n8,24,34\n12,11,46\n10,15,54\n".write(to: folder.appendingPathComponent("path.csv"), atomically: true, encoding: .utf8)
        let curve = try freehand(["reslice", "phantom.nrrd", "--curve", "path.csv", "--size", "64x48", "--up", "0,-1,0",
                                  "-o", "path-slices.igs.mha", "--straightened", "path-straight.nrrd", "--panorama", "path.png"], in: folder)
        #expect(curve.contains("slices every 1 mm"))
        let straight = try VolumeFile.read(folder.appendingPathComponent("path-straight.nrrd").path)
        #expect(straight.geometry.dimensions.x == 64 && straight.geometry.dimensions.y == 48)
        // Points: straightened -> original -> straightened.
        let list = MarkupList(type: "Fiducial", points: [MarkupPoint(label: "p", position: SIMD3(1, -2, 20))])
        try MarkupsFile.write([list], to: folder.appendingPathComponent("p.mrk.json").path)
        _ = try freehand(["reslice", "phantom.nrrd", "--curve", "path.csv", "--size", "64x48", "--up", "0,-1,0",
                          "--map-points", "p.mrk.json", "--to", "original", "-o", "p-original.mrk.json"], in: folder)
        _ = try freehand(["reslice", "phantom.nrrd", "--curve", "path.csv", "--size", "64x48", "--up", "0,-1,0",
                          "--map-points", "p-original.mrk.json", "--to", "straightened", "-o", "p-back.mrk.json"], in: folder)
        let back = try MarkupsFile.readPoints(folder.appendingPathComponent("p-back.mrk.json").path).points[0].position
        #expect(((back - SIMD3(1, -2, 20)) * (back - SIMD3(1, -2, 20))).sum().squareRoot() < 0.01)
        // A label on the straightened grid goes back with reconstruct --grid-from.
        _ = try freehand(["reslice", "phantom.nrrd", "--curve", "path.csv", "--size", "64x48", "--up", "0,-1,0",
                          "--restack", "path-straight.nrrd", "-o", "restacked.igs.mha"], in: folder)
        _ = try freehand(["reconstruct", "restacked.igs.mha", "--grid-from", "phantom.nrrd", "--compounding", "maximum",
                          "--fill-holes", "-o", "back.nrrd", "-q"], in: folder)
        let original = try VolumeFile.read(folder.appendingPathComponent("phantom.nrrd").path)
        #expect(try VolumeFile.read(folder.appendingPathComponent("back.nrrd").path).geometry == original.geometry)
        // Bad input: clear errors, non-zero exit, nothing written.
        try "x,y,z\n1,2,3\n".write(to: folder.appendingPathComponent("one.csv"), atomically: true, encoding: .utf8)
        let (status, output) = try FreehandExecutable.run(["reslice", "phantom.nrrd", "--curve", "one.csv", "-o", "bad.igs.mha"], currentDirectory: folder)
        #expect(status != 0 && output.contains("at least two distinct control points"))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad.igs.mha").path))
        let (status2, output2) = try FreehandExecutable.run(["reslice", "phantom.nrrd", "--curve", "path.csv", "--step", "0", "-o", "bad.igs.mha"], currentDirectory: folder)
        #expect(status2 != 0 && output2.contains("--step"))
    }
}
