import Foundation
import Geometry
import Imaging

/// A synthetic tracked stream for soak tests: `width` x `height` 8-bit frames at `fps`, sent as
/// IMAGE `Image_Probe` (ImageToProbe, 0.1 mm pixels, in the matrix) while a tracker sends
/// ProbeToTracker at twice the frame rate, half a tracker period out of step with the images
/// (so every image needs interpolation), and ReferenceToTracker once per frame. The probe sweeps
/// ±`amplitude` mm along the tracker's z axis every `period` seconds, tilting ±5 degrees.
public struct SyntheticReplaySource: ReplaySource {
    public let width: Int, height: Int
    public let fps: Double
    /// Frames per pass (nil: endless).
    public let frameCount: Int?
    public var amplitude = 30.0
    public var sweepPeriod = 4.0
    private var frames: [Image] = []
    private var frameIndex = 0
    private var trackerIndex = 0
    private var referenceSentFor = -1
    /// Pixel size (mm).
    public static let pixelSpacing = 0.1

    public init(width: Int, height: Int, fps: Double, frameCount: Int? = nil) {
        self.width = width
        self.height = height
        self.fps = fps
        self.frameCount = frameCount
        frames = (0..<16).map { Self.pattern(width: width, height: height, seed: $0) }
    }

    /// ImageToProbe: pixels of 0.1 mm, the image centred on the probe's x axis, depth along +y.
    public var imageToProbe: Transform3D {
        Transform3D.translation(SIMD3(-Double(width) * Self.pixelSpacing / 2, 0, 0)) * Transform3D.scaling(SIMD3(repeating: Self.pixelSpacing))
    }

    /// ReferenceToTracker (fixed).
    public static let referenceToTracker = Transform3D.translation(SIMD3(10, 20, 30))

    /// ProbeToTracker at `t` seconds.
    public func probeToTracker(at t: Double) -> Transform3D {
        let phase = 2 * Double.pi * t / sweepPeriod
        let z = amplitude * sin(phase)
        let tilt = 5 * Double.pi / 180 * cos(phase)
        return Transform3D.translation(SIMD3(0, 0, z)) * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: tilt)
    }

    public mutating func next() throws -> ReplayEvent? {
        if let n = frameCount, frameIndex >= n { return nil }
        let imageTime = Double(frameIndex) / fps
        let trackerTime = (Double(trackerIndex) + 0.5) / (2 * fps)
        if trackerTime < imageTime {
            trackerIndex += 1
            return .transform(time: trackerTime, name: TransformName(from: "Probe", to: "Tracker"), matrix: probeToTracker(at: trackerTime))
        }
        // ReferenceToTracker just before each image (same time).
        if referenceSentFor != frameIndex {
            referenceSentFor = frameIndex
            return .transform(time: imageTime, name: TransformName(from: "Reference", to: "Tracker"), matrix: Self.referenceToTracker)
        }
        let image = frames[frameIndex % frames.count]
        frameIndex += 1
        return .image(time: imageTime, device: "Image_Probe", image: image, matrix: imageToProbe)
    }

    public mutating func rewind() throws -> Double {
        let length = Double(frameIndex) / fps
        frameIndex = 0
        trackerIndex = 0
        referenceSentFor = -1
        return length
    }

    /// A speckled pattern of rings and bands, different per seed.
    static func pattern(width: Int, height: Int, seed: Int) -> Image {
        var bytes = [UInt8](repeating: 0, count: width * height)
        var state = UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 &+ 1
        let cx = Double(width) / 2, cy = Double(height) / 3
        for y in 0..<height {
            for x in 0..<width {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                let noise = Double(state >> 58)  // 0..63
                let r = ((Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)).squareRoot()
                let ring = (Int(r) / 12 + seed) % 2 == 0 ? 120.0 : 40.0
                let band = y % 80 < 6 ? 80.0 : 0
                bytes[y * width + x] = UInt8(min(255, ring + band + noise))
            }
        }
        return Image(width: width, height: height, bytes: bytes)
    }
}
