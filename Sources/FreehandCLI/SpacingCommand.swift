import ArgumentParser
import Calibration
import FileSafety
import Geometry
import Recordings

/// `freehand spacing`: pixel spacing from the imaging depth set on the scanner.
struct SpacingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spacing",
        abstract: "Pixel spacing (mm/px) from the imaging depth: finds the imaging region (linear rectangle or curvilinear fan) and divides the depth by its pixel depth.",
        discussion: """
        The depth is the scanner's depth setting, measured from the transducer face (5 to 350 mm). For a \
        linear probe the region runs from the first to the last row with data; for a curvilinear probe the \
        fan's apex, angles and radii are found and the depth spans radius start to stop. The region comes \
        with a confidence (edge contrast along the border that sets the depth, fraction of frames agreeing, \
        fan-fit quality); when it is below 0.75 (phantom or water-tank images, a dark near field, data to \
        the last row) no spacing is given and the command exits non-zero: give the region by hand with \
        --rows FACE...DEEPEST or --region X0,Y0,X1,Y1. A spacing outside 0.02...1.0 mm/px is a warning.

        The estimate is compared with the spacing --config's ImageToProbe implies (PLUS stores \
        ElementSpacing 1 and keeps the scale there), else with the file's ElementSpacing. --apply writes \
        the spacing into a device-set file's ImageToProbe (scale only; rotation, translation and the rest \
        of the file unchanged): the fix for 512 px x 0.2 mm = 102.4 mm on a 150 mm depth.

        Example: freehand spacing scan.igs.mha --depth 150 --config PlusDeviceSet.xml --apply PlusDeviceSet.xml
        """
    )

    @Argument(help: "Recording or image (.igs.mha, .mha, .mhd, .nrrd, .png).")
    var input: String

    @Option(name: .long, help: "Imaging depth set on the scanner, mm from the transducer face (5...350).")
    var depth: Double

    @Option(name: .long, help: "Frames to use, spread over the recording.")
    var frames: Int = 30

    @Option(name: .long, help: "Pixels brighter than this count as data.")
    var threshold: Double = 0

    @Option(name: .long, help: "The imaging region's rows by hand: FACE...DEEPEST (inclusive), instead of detecting it.")
    var rows: RegionSelection?

    @Option(name: .long, help: "The imaging region by hand: X0,Y0,X1,Y1 (inclusive pixel corners).")
    var region: RegionSelection?

    @Option(name: .long, help: "PLUS device-set configuration whose ImageToProbe the estimate is compared with.")
    var config: String?

    @Option(name: .long, help: "Write the spacing into this device-set file's ImageToProbe (scale part only).")
    var apply: String?

    @Option(name: .long, help: "Also save ImageToTransducerOriginPixel and TransducerOriginPixelToTransducerOrigin to this PLUS XML file.")
    var output: String?

    func validate() throws {
        if let problem = SpacingPlausibility.depthProblem(depth) { throw ValidationError(problem) }
        guard frames > 0, frames <= 10_000 else { throw ValidationError("--frames must be in 1...10000") }
        guard threshold.isFinite, threshold >= 0 else { throw ValidationError("--threshold must be a non-negative number") }
        if rows != nil && region != nil { throw ValidationError("give --rows or --region, not both") }
        var paths = PathGuard()   // before anything is read: no output replaces an input
        paths.recording("input", input)
        if let config { paths.input("configuration", config) }
        if let output { paths.output("output", output) }
        try paths.check()
        if let apply, FileIdentity.sameFile(apply, input) {
            throw ValidationError("\(apply) is the input recording: --apply never writes into it")
        }
    }

    func run() throws {
        var job = SpacingRun(input: input, depth: depth)
        job.maximumFrames = frames
        job.threshold = threshold
        job.region = rows ?? region
        job.configPath = config ?? apply
        let result = try job.run()
        for line in result.lines { print(line) }
        if let output {
            var results = CalibrationResults(comment: "freehand spacing \(input) --depth \(depth)")
            for t in result.outcome.transforms { results.set(t) }
            try results.write(to: output)
            print("written to \(output)")
        }
        if let apply, let s = result.outcome.spacing {
            let (old, new) = try ImageToProbeSpacing.apply(spacing: s, toConfiguration: apply)
            print("ImageToProbe in \(apply) rescaled to \(formatNumber(s)) mm/px:\n  before \(old)\n  after  \(new)")
        }
    }
}

extension RegionSelection: ExpressibleByArgument {
    public init?(argument: String) {
        if argument.contains(",") { self.init(region: argument) } else { self.init(rows: argument) }
    }
}
