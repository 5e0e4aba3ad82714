import ArgumentParser
import FileSafety
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Reslicing

/// `freehand reslice`: a volume back into tracked frames, at recorded poses or along a curve.
struct ResliceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reslice",
        abstract: "Sample a volume on posed image planes: at a recording's poses, or along a curve (straightened volume, panorama).",
        discussion: """
        --poses: one frame per recorded frame at its ImageToReference (calibration from --config, \
        or <recording>.config.xml beside it). --curve: a Slicer .mrk.json/.fcsv or x,y,z CSV curve \
        (LPS/RAS as the file says), a Slicer-style cubic spline resampled every --step mm with \
        rotation-minimising frames. Each output frame carries ImageToReference (pixels to the \
        volume's mm), so `freehand reconstruct SLICES --grid-from VOLUME` maps slices back.

        Example: freehand reslice phantom.nrrd --curve wire.mrk.json -o wire-slices.igs.mha --straightened wire.nrrd --panorama wire.png
        """)

    @Argument(help: "The volume to sample (.nrrd, .mha, .mhd).") var volume: String
    @Option(help: "Recording whose frame poses to reslice at.") var poses: String?
    @Option(name: .shortAndLong, help: "PLUS device-set configuration with the calibration (for --poses).") var config: String?
    @Option(help: "Curve: Slicer .mrk.json, .fcsv, or a CSV of x,y,z points.") var curve: String?
    @Option(name: .shortAndLong, help: "Output: slices (.igs.mha, .igs.nrrd, .seq.nrrd), or points (.mrk.json) with --map-points.") var output: String?
    @Option(help: "Slice size in pixels, WxH (default: the recording's, or 256x256).") var size: PixelSizeArgument?
    @Option(parsing: .upToNextOption, help: "Pixel spacing in mm: one value, or x y (default: the recording's, or the smallest voxel spacing).") var spacing: [Double] = []
    @Option(help: "Distance between curve slices in mm (default: the smallest voxel spacing).") var step: Double?
    @Option(help: "Direction x,y,z (volume mm) towards the top of the first curve slice (default: -y of the volume).") var up: VectorArgument?
    @Option(help: "nearest, linear or cubic (cubic B-spline, prefiltered).") var interpolation: Interpolation = .linear
    @Option(help: "Also write the curve slices stacked as a straightened volume (.nrrd, .mha).") var straightened: String?
    @Option(help: "Also write a panoramic projection of the curve slices (PNG).") var panorama: String?
    @Option(help: "maximum or mean across the panorama band.") var panoramaMode: PanoramaMode = .maximum
    @Option(help: "Width in mm of the panorama band across each slice (default: the whole slice).") var panoramaThickness: Double?
    @Option(help: "Write the slices of this volume drawn on the straightened grid (a label map) at the curve poses, instead of sampling VOLUME.") var restack: String?
    @Option(help: "Markups file of points to map between straightened and original coordinates (writes -o).") var mapPoints: String?
    @Option(help: "original or straightened: the coordinates --map-points maps into.") var to: MappingTarget?
    @Option(help: "lps or ras: coordinate system of plain CSV curves and points (default lps).") var csvCoordinates: String = "lps"
    @Option(help: "Worker threads (default: one per core); the output does not depend on it.") var threads: Int?
    @Flag(help: "Write uncompressed data.") var uncompressed = false
    @Flag(name: .shortAndLong, help: "No summary.") var quiet = false

    func validate() throws {
        guard (poses == nil) != (curve == nil) else { throw ValidationError("give exactly one of --poses RECORDING or --curve CURVE") }
        guard spacing.count <= 2, spacing.allSatisfy({ $0.isFinite && $0 > 0 }) else { throw ValidationError("--spacing takes one or two positive values (mm)") }
        if let step { guard step.isFinite, step > 0 else { throw ValidationError("--step must be a positive number of mm, got \(step)") } }
        if let t = panoramaThickness { guard t.isFinite, t > 0 else { throw ValidationError("--panorama-thickness must be positive mm") } }
        guard MarkupsCoordinateSystem(fileValue: csvCoordinates) != nil else { throw ValidationError("--csv-coordinates must be lps or ras") }
        if mapPoints != nil {
            guard curve != nil, to != nil, output?.lowercased().hasSuffix(".json") == true else {
                throw ValidationError("--map-points needs --curve, --to original|straightened and -o OUT.mrk.json")
            }
        } else {
            guard output != nil || straightened != nil || panorama != nil else { throw ValidationError("nothing to write: give -o, --straightened or --panorama") }
            guard poses == nil || (straightened == nil && panorama == nil && restack == nil) else {
                throw ValidationError("--straightened, --panorama and --restack need --curve")
            }
        }
        var paths = PathGuard()   // before anything is read: no output replaces an input (any spelling or link) or another output
        paths.recording("volume", volume)
        if let poses { paths.recording("--poses recording", poses) }
        if let restack { paths.recording("--restack volume", restack) }
        for (role, path) in [("--curve", curve), ("--map-points", mapPoints), ("configuration", config)] { if let path { paths.input(role, path) } }
        if let output { mapPoints == nil ? paths.volumeOutput("output", output) : paths.output("output", output) }
        if let straightened { paths.volumeOutput("--straightened volume", straightened) }
        if let panorama { paths.output("--panorama", panorama) }
        try paths.check()
    }

    func run() throws {
        let start = Date()
        let original = try VolumeFile.read(volume)
        let system = MarkupsCoordinateSystem(fileValue: csvCoordinates)!
        let spacing2 = spacing.isEmpty ? nil : SIMD2(spacing[0], spacing.count > 1 ? spacing[1] : spacing[0])
        let outputs = ResliceOutputs(slices: mapPoints == nil ? output : nil, straightened: straightened, panorama: panorama,
                                     panoramaMode: panoramaMode, panoramaThickness: panoramaThickness, compressed: !uncompressed)
        let report: ResliceReport
        var describe: (Int) -> String = { "frame \($0)" }
        if let curve {
            let setup = try CurveReslicing(curve: try MarkupsFile.readPoints(curve, csvCoordinateSystem: system), file: curve,
                                           volume: original.geometry, step: step, size: size?.value, spacing: spacing2, up: up?.value)
            if let mapPoints, let to, let output {
                let mapped = try setup.map(try MarkupsFile.readPoints(mapPoints, csvCoordinateSystem: system), to: to, file: mapPoints)
                try MarkupsFile.write([mapped], to: output)
                if !quiet { print("freehand: \(mapped.points.count) points mapped to \(to.rawValue) coordinates -> \(output)") }
                return
            }
            let source = try restack.map { try VolumeFile.read($0) } ?? original
            if let restack, source.geometry.dimensions != setup.mapping.straightenedGeometry.dimensions {
                let d = setup.mapping.straightenedGeometry.dimensions
                throw ValidationError("\(restack) is \(source.geometry.dimensions.x)x\(source.geometry.dimensions.y)x\(source.geometry.dimensions.z) voxels; the straightened grid of this curve is \(d.x)x\(d.y)x\(d.z)")
            }
            let reslicer = try Reslicer(volume: source, interpolation: restack == nil ? interpolation : .nearest, threads: threads)
            report = try ResliceFlow.run(reslicer: reslicer, poses: setup.poses, sampling: restack == nil ? nil : setup.straightenedPoses,
                                         geometry: setup.slice, outputs: outputs, straightened: setup.mapping.straightenedGeometry,
                                         what: "the curve \(curve)", volumeName: restack ?? volume)
            let step = setup.path.step
            describe = { String(format: "arc length %.2f mm", Double($0) * step) }
            if !quiet { print(String(format: "freehand: curve %.2f mm long, %d slices every %g mm", setup.path.length, report.sliceCount, step)) }
        } else if let poses {
            let setup = try ReconstructionSetup(ReconstructionSetup.Request(recording: poses, config: config))
            let recorded = try RecordedPoses(path: poses, calibration: setup.calibration, name: setup.imageToReferenceName)
            let geometry = SliceGeometry(width: size?.value.x ?? recorded.geometry.width, height: size?.value.y ?? recorded.geometry.height,
                                         spacing: spacing2 ?? recorded.geometry.spacing)
            let reslicer = try Reslicer(volume: original, interpolation: interpolation, threads: threads)
            report = try ResliceFlow.run(reslicer: reslicer, poses: recorded.resampled(to: geometry), geometry: geometry,
                                         outputs: outputs, what: "every pose of \(poses)", volumeName: volume)
            if !quiet, recorded.invalidCount > 0 { print("freehand: \(recorded.invalidCount) frames have no valid \(setup.imageToReferenceName); written zero-filled with status INVALID") }
        } else { return }
        for run in report.outsideRuns {
            let range = run.count == 1 ? describe(run.lowerBound) : "\(describe(run.lowerBound)) to \(describe(run.upperBound))"
            FileHandle.standardError.write(Data("freehand: warning: slice centres outside the volume (zero-filled where no voxel is near): \(range)\n".utf8))
        }
        if !quiet {
            let written = [outputs.slices, straightened, panorama].compactMap { $0 }.joined(separator: ", ")
            print(String(format: "freehand: %d slices, %d empty; %.2f s -> %@", report.sliceCount, report.emptySlices, Date().timeIntervalSince(start), written))
        }
    }
}
