#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry
import Imaging
import Recordings

/// `freehand spacing` as a library: reads frames spread over a recording (or one PNG), finds the
/// imaging region with its confidence (or takes it by hand), and gives the spacing for the depth,
/// compared with the configuration's ImageToProbe or the file's ElementSpacing.
public struct SpacingRun: Sendable {
    public var input: String
    public var depth: Double
    public var maximumFrames = 30
    public var threshold = 0.0
    /// The region by hand, instead of detecting it.
    public var region: RegionSelection?
    /// A device-set configuration whose ImageToProbe is compared with the estimate.
    public var configPath: String?

    public init(input: String, depth: Double) {
        self.input = input
        self.depth = depth
    }

    /// The result lines and the outcome (transforms, spacing).
    public struct Result: Sendable {
        public var lines: [String]
        public var outcome: CalibrationOutcome
    }

    /// Measures; throws when no spacing can be given (no frames, region not confident, ...).
    public func run() throws -> Result {
        var images: [Image] = []
        var total = 1
        var fileSpacing: SIMD2<Double>?
        if input.lowercased().hasSuffix(".png") {
            images = [try PNG.read(input)]
        } else {
            var reader = try SequenceReader(path: input)
            total = reader.frameCount
            fileSpacing = reader.pixelSpacing
            let stride = max(1, total / maximumFrames)
            var index = 0
            while let frame = try reader.next(), images.count < maximumFrames {
                if index % stride == 0, frame.imageStatus == .ok, !frame.image.isEmpty { images.append(frame.image) }
                index += 1
            }
        }
        guard let first = images.first else { throw CalibrationStepError(.spacing, "\(input): no valid image frames") }
        var step = SpacingStep(depth: depth, fileSpacing: fileSpacing)
        step.maximumFrames = maximumFrames
        step.detector.threshold = threshold
        step.givenRegion = region
        if let configPath {
            step.configSpacing = ImageToProbeSpacing(configuration: try DeviceSetConfiguration.load(configPath))?.spacing
        }
        for image in images { step.consume(TrackedFrame(image: image, timestamp: 0), base: TransformRepository()) }
        let outcome = try step.finish()
        let head = "\(input): \(images.count) of \(total) frames, \(first.width)x\(first.height) px; \(outcome.grade.rawValue.uppercased())"
        return Result(lines: [head] + outcome.lines, outcome: outcome)
    }
}
