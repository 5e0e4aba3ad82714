import ArgumentParser
import FileSafety
import Calibration
import Foundation
import Geometry
import Imaging
import Recordings

/// `freehand spacing`: pixel spacing from the imaging depth set on the scanner.
struct SpacingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spacing",
        abstract: "Pixel spacing (mm/px) from the imaging depth: finds the imaging region (linear rectangle or curvilinear fan) and divides the depth by its pixel depth.",
        discussion: """
        The depth is the scanner's depth setting, measured from the transducer face. For a linear \
        probe the region runs from the first to the last row with data; for a curvilinear probe \
        the fan's apex, angles and radii are found and the depth spans radius start to stop. \
        A warning is printed when the file's ElementSpacing disagrees (e.g. 512 rows x 0.2 mm = \
        102.4 mm while the scanner was set to 150 mm).
        """
    )

    @Argument(help: "Recording or image (.igs.mha, .mha, .mhd, .nrrd, .png).")
    var input: String

    @Option(name: .long, help: "Imaging depth set on the scanner, mm from the transducer face.")
    var depth: Double

    @Option(name: .long, help: "Frames to use, spread over the recording.")
    var frames: Int = 30

    @Option(name: .long, help: "Pixels brighter than this count as data.")
    var threshold: Double = 0

    @Option(name: .long, help: "Also save ImageToTransducerOriginPixel and TransducerOriginPixelToTransducerOrigin to this PLUS XML file.")
    var output: String?

    func validate() throws {
        guard depth > 0 else { throw ValidationError("--depth must be a positive number of millimetres") }
        guard frames > 0 else { throw ValidationError("--frames must be positive") }
    }

    func run() throws {
        var paths = PathGuard()
        paths.recording("input", input)
        if let output { paths.output("output", output) }
        try paths.check()
        var images: [Image] = []
        var total = 1
        var fileSpacing: SIMD2<Double>?
        if input.lowercased().hasSuffix(".png") {
            images = [try PNG.read(input)]
        } else {
            var reader = try SequenceReader(path: input)
            total = reader.frameCount
            fileSpacing = reader.pixelSpacing
            let stride = max(1, total / frames)
            var index = 0
            while let frame = try reader.next() {
                if index % stride == 0, frame.imageStatus == .ok, !frame.image.isEmpty, images.count < frames { images.append(frame.image) }
                index += 1
            }
        }
        guard !images.isEmpty else { throw ValidationError("\(input): no valid image frames") }
        var step = SpacingStep(depth: depth, fileSpacing: fileSpacing)
        step.detector.threshold = threshold
        for image in images { step.consume(TrackedFrame(image: image, timestamp: 0), base: TransformRepository()) }
        let outcome = try step.finish()
        print("\(input): \(images.count) of \(total) frames, \(images[0].width)x\(images[0].height) px")
        for line in outcome.lines { print(line) }
        if let output {
            var results = CalibrationResults(comment: "freehand spacing \(input) --depth \(depth)")
            for t in outcome.transforms { results.set(t) }
            try results.write(to: output)
            print("written to \(output)")
        }
    }
}
