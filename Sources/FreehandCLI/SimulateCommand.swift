import ArgumentParser
import Foundation
import Recordings
import Simulation

/// `freehand simulate`: writes a tracked sweep of the digital phantom, its device-set
/// configuration and its ground truth.
struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a tracked freehand sweep of a digital phantom with known geometry.",
        discussion: """
        Writes three files: the sequence (-o, any sequence format by extension), \
        <name>.config.xml beside it (ImageToProbe calibration and a <VolumeReconstruction> element, \
        ready for `freehand reconstruct`) and <name>.truth.json (phantom objects in Reference mm, \
        calibration, reference pose, trajectory). Output is deterministic for given options.
        """)

    @Option(name: .shortAndLong, help: "Output sequence file (.igs.mha, .mha, .mhd, .igs.nrrd, .seq.nrrd).")
    var output: String = "Recordings/phantom-sweep.igs.mha"

    @Option(help: "Number of frames.")
    var frames: Int = 120

    @Option(help: "Image width in pixels.")
    var width: Int = 256

    @Option(help: "Image height in pixels.")
    var height: Int = 200

    @Option(help: "Pixel spacing in mm (both axes).")
    var spacing: Double = 0.2

    @Option(help: "Frames per second (timestamps).")
    var frameRate: Double = 20

    @Option(help: "Relative standard deviation of the speckle (0 = noise-free images).")
    var speckle: Double = 0.2

    @Option(help: "Seed of the hand wobble and of the speckle.")
    var seed: UInt64 = 1

    @Option(help: "Probe position along the phantom's z axis at the first and last frame, mm: START,END.")
    var sweep: String = "4,56"

    @Flag(help: "Move the probe straight, without hand wobble.")
    var noWobble = false

    @Option(help: "Comma-separated frame indices recorded with an INVALID probe pose.")
    var invalidFrames: String = ""

    @Option(help: "OutputSpacing (mm) written into the configuration's <VolumeReconstruction>.")
    var outputSpacing: Double = 0.5

    @Flag(help: "Write the pixel data without zlib compression.")
    var uncompressed = false

    func validate() throws {
        guard frames >= 1 else { throw ValidationError("--frames must be at least 1, got \(frames)") }
        guard width >= 2, height >= 2 else { throw ValidationError("--width and --height must be at least 2, got \(width)x\(height)") }
        guard width * height <= 16_777_216 else { throw ValidationError("--width x --height must not exceed 16 Mpixels, got \(width)x\(height)") }
        guard spacing > 0, spacing.isFinite else { throw ValidationError("--spacing must be a positive number of mm, got \(spacing)") }
        guard frameRate > 0, frameRate.isFinite else { throw ValidationError("--frame-rate must be positive, got \(frameRate)") }
        guard speckle >= 0, speckle <= 1 else { throw ValidationError("--speckle must be within 0...1, got \(speckle)") }
        guard outputSpacing > 0, outputSpacing.isFinite else { throw ValidationError("--output-spacing must be positive, got \(outputSpacing)") }
        _ = try sweepRange()
        _ = try invalidFrameSet()
        do { _ = try SequenceFile.Format(path: output) } catch { throw ValidationError("\(error)") }
    }

    func sweepRange() throws -> (Double, Double) {
        let parts = sweep.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let a = parts[0], let b = parts[1], a.isFinite, b.isFinite, a != b else {
            throw ValidationError("--sweep must be START,END in mm with START != END, got '\(sweep)'")
        }
        return (a, b)
    }

    func invalidFrameSet() throws -> Set<Int> {
        var set = Set<Int>()
        for part in invalidFrames.split(separator: ",") {
            guard let i = Int(part.trimmingCharacters(in: .whitespaces)), i >= 0, i < frames else {
                throw ValidationError("--invalid-frames must list frame indices 0..<\(frames), got '\(part)'")
            }
            set.insert(i)
        }
        return set
    }

    func run() throws {
        let (start, end) = try sweepRange()
        let simulator = SweepSimulator.standardSweep(
            frames: frames, width: width, height: height, spacing: spacing, frameRate: frameRate, speckle: speckle,
            seed: seed, sweepStart: start, sweepEnd: end, wobble: !noWobble, invalidFrames: try invalidFrameSet())
        let files = try simulator.writeFiles(to: output, outputSpacing: outputSpacing, compressed: !uncompressed)
        print(files.summary)
    }
}
