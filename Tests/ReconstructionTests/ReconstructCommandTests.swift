import Foundation
import FreehandTestSupport
import Imaging
import Recordings
import Testing

/// `freehand reconstruct` end to end, as the README's first command runs it.
@Suite(.enabled(if: FreehandExecutable.isAvailable, "needs the built freehand executable (swift build)"))
struct ReconstructCommandTests {
    @Test func reconstructsTheBundledSampleWithPreview() throws {
        let dir = PlusData.temporaryDirectory("reconstruct-cli")
        let out = dir.appendingPathComponent("phantom.nrrd").path
        let preview = dir.appendingPathComponent("phantom.png").path
        let r = try FreehandExecutable.run(["reconstruct", "Recordings/phantom-sweep.igs.mha", "-o", out, "--preview", preview],
                                           currentDirectory: PlusData.packageRoot)
        #expect(r.status == 0, "\(r.output)")
        // One summary line: frames used/skipped, grid, time, output.
        #expect(r.output.contains("119 frames used, 1 skipped (1 invalid transform)"), "\(r.output)")
        #expect(r.output.contains("voxels at 0.5 mm"), "\(r.output)")
        let volume = try VolumeFile.read(out)
        #expect(volume.scalarType == .uint8)
        #expect(volume.geometry.spacing == SIMD3(repeating: 0.5))
        let picture = try PNG.read(preview)
        #expect(picture.width > 256 && picture.height >= 256)
    }

    @Test func optionsOverrideTheConfiguration() throws {
        let dir = PlusData.temporaryDirectory("reconstruct-cli")
        let out = dir.appendingPathComponent("phantom.mha").path
        let acc = dir.appendingPathComponent("weights.nrrd").path
        let r = try FreehandExecutable.run(["reconstruct", "Recordings/phantom-sweep.igs.mha", "-o", out, "--spacing", "1",
                                            "--interpolation", "linear", "--compounding", "maximum", "--float",
                                            "--accumulation", acc, "--quiet"],
                                           currentDirectory: PlusData.packageRoot)
        #expect(r.status == 0, "\(r.output)")
        #expect(r.output.isEmpty)
        let volume = try VolumeFile.read(out)
        #expect(volume.scalarType == .float32)
        #expect(volume.geometry.spacing == SIMD3(repeating: 1))
        let weights = try VolumeFile.read(acc)
        #expect(weights.scalarType == .uint16 && weights.geometry == volume.geometry)
    }

    @Test func missingRecordingIsNamedInTheError() throws {
        let r = try FreehandExecutable.run(["reconstruct", "/nonexistent/scan.igs.mha", "--spacing", "1", "-o", "/tmp/x.nrrd"])
        #expect(r.status != 0)
        #expect(r.output.contains("/nonexistent/scan.igs.mha"), "\(r.output)")
    }

    /// `--calibration` overlays are read by the one setup path for every command: a file without
    /// transforms is refused, naming it, by reconstruct, listen, record and replay alike (before
    /// any connection is tried).
    @Test func everyCommandReadsCalibrationOverlays() throws {
        let empty = PlusData.temporaryDirectory("overlay").appendingPathComponent("empty.xml").path
        try "<PlusConfiguration/>".write(toFile: empty, atomically: true, encoding: .utf8)
        let sample = "Recordings/phantom-sweep.igs.mha"
        for arguments in [["reconstruct", sample, "-o", "/tmp/never.nrrd"], ["listen", "--spacing", "1", "--port", "1"],
                          ["record", "--port", "1", "-o", "/tmp/never.igs.mha"], ["replay", sample, "--port", "0"]] {
            let r = try FreehandExecutable.run(arguments + ["--calibration", empty], currentDirectory: PlusData.packageRoot)
            #expect(r.status != 0, "\(arguments[0])")
            #expect(r.output.contains("\(empty) has no <CoordinateDefinitions> transforms"), "\(arguments[0]): \(r.output)")
        }
    }
}
