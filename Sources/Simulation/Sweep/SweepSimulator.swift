import Dispatch
import Geometry
import Imaging
import Recordings

/// Simulates a tracked freehand sweep of a linear probe over a `Phantom`.
///
/// Every frame is rendered from the analytic phantom: each image row is a line in phantom
/// space, and each object contributes the interval of that line it covers, so a frame costs
/// O(rows x objects + pixels) with no per-pixel 3-D search. Speckle comes from a seeded
/// generator keyed by (seed, frame, row), so output is identical for any thread count.
///
/// The tracker sees a fixed reference body (`referenceToTracker`) and the probe
/// (`ProbeToTracker = ReferenceToTracker * ProbeToReference`); the phantom frame is the
/// Reference frame. Frames listed in `invalidFrames` record an identity `ProbeToTracker` with
/// status INVALID, as PLUS does when the tracker loses the probe.
public struct SweepSimulator: Sendable {
    /// What is scanned.
    public var phantom: Phantom
    /// The probe and its calibration.
    public var probe: LinearProbe
    /// How the hand moves.
    public var trajectory: SweepTrajectory
    /// Number of frames.
    public var frameCount: Int
    /// Frames per second (timestamps are `startTime + i / frameRate`).
    public var frameRate: Double
    /// Timestamp of the first frame, seconds.
    public var startTime: Double
    /// Pose of the reference body in the tracker's frame (fixed during the sweep).
    public var referenceToTracker: Transform3D
    /// Indices of frames whose probe pose is INVALID.
    public var invalidFrames: Set<Int>
    /// Seed of the speckle.
    public var noiseSeed: UInt64

    /// The fixed reference pose used by default: tilted and some 85 cm from the camera, as an
    /// optical tracker would see it.
    public static let defaultReferenceToTracker: Transform3D =
        Transform3D.translation(SIMD3(120.5, -45.25, -850))
        * Transform3D.rotation(axis: SIMD3(0.3, -0.5, 0.8), angle: 35 * Double.pi / 180)

    public init(phantom: Phantom = .standard, probe: LinearProbe = LinearProbe(),
                trajectory: SweepTrajectory = SweepTrajectory(), frameCount: Int = 120,
                frameRate: Double = 20, startTime: Double = 100,
                referenceToTracker: Transform3D = SweepSimulator.defaultReferenceToTracker,
                invalidFrames: Set<Int> = [], noiseSeed: UInt64 = 1) {
        self.phantom = phantom
        self.probe = probe
        self.trajectory = trajectory
        self.frameCount = frameCount
        self.frameRate = frameRate
        self.startTime = startTime
        self.referenceToTracker = referenceToTracker
        self.invalidFrames = invalidFrames
        self.noiseSeed = noiseSeed
    }

    /// Sweep fraction of frame `i` (0 for the first, 1 for the last).
    public func sweepFraction(_ i: Int) -> Double {
        frameCount > 1 ? Double(i) / Double(frameCount - 1) : 0
    }

    /// The true `ProbeToReference` of frame `i` (also for frames recorded as INVALID).
    public func probeToReference(frame i: Int) -> Transform3D {
        trajectory.probeToReference(at: sweepFraction(i))
    }

    /// The true `ImageToReference` (pixels to phantom mm) of frame `i`.
    public func imageToReference(frame i: Int) -> Transform3D {
        probeToReference(frame: i) * probe.imageToProbe
    }

    /// The true `ProbeToTracker` of frame `i`.
    public func probeToTracker(frame i: Int) -> Transform3D {
        referenceToTracker * probeToReference(frame: i)
    }

    /// The B-mode image of frame `i` (MF, 8-bit).
    public func renderImage(frame i: Int) -> Image {
        renderImage(frame: i, noise: SpeckleNoise(relativeDeviation: phantom.speckle))
    }

    func renderImage(frame i: Int, noise: SpeckleNoise) -> Image {
        let m = imageToReference(frame: i)
        let step = m.applyToVector(SIMD3(1, 0, 0))
        let width = probe.width
        var bytes = [UInt8](repeating: 0, count: width * probe.height)
        var row = [Float](repeating: 0, count: width)
        let background = Float(phantom.background)
        let useNoise = phantom.speckle > 0
        noise.factors.withUnsafeBufferPointer { factors in
            bytes.withUnsafeMutableBufferPointer { out in
                for y in 0..<probe.height {
                    for x in 0..<width { row[x] = background }
                    phantom.paintRow(&row, origin: m.apply(SIMD3(0, Double(y), 0)), step: step)
                    let base = y * width
                    if useNoise {
                        var rng = SplitMix64(seed: noiseSeed, UInt64(i), UInt64(y))
                        var bits: UInt64 = 0
                        for x in 0..<width {
                            if x & 3 == 0 { bits = rng.next() }
                            let f = factors[Int(truncatingIfNeeded: bits & 0xFFFF)]
                            bits >>= 16
                            out[base + x] = Self.quantize(row[x] * f)
                        }
                    } else {
                        for x in 0..<width { out[base + x] = Self.quantize(row[x]) }
                    }
                }
            }
        }
        return Image(width: width, height: probe.height, bytes: bytes)
    }

    @inline(__always) static func quantize(_ v: Float) -> UInt8 {
        let c = min(max(v, 0), 255)
        return UInt8(c + 0.5)
    }

    /// Frame `i` with its image, timestamp and tracker transforms.
    public func frame(_ i: Int) -> TrackedFrame {
        frame(i, noise: SpeckleNoise(relativeDeviation: phantom.speckle))
    }

    func frame(_ i: Int, noise: SpeckleNoise) -> TrackedFrame {
        let valid = !invalidFrames.contains(i)
        let timestamp = startTime + Double(i) / frameRate
        return TrackedFrame(
            image: renderImage(frame: i, noise: noise),
            timestamp: timestamp,
            imageStatus: .ok,
            transforms: [
                TransformName(from: "Probe", to: "Tracker"):
                    TrackedTransform(matrix: valid ? probeToTracker(frame: i) : .identity, status: valid ? .ok : .invalid),
                TransformName(from: "Reference", to: "Tracker"):
                    TrackedTransform(matrix: referenceToTracker, status: .ok),
            ],
            fields: ["FrameNumber": String(i), "UnfilteredTimestamp": formatNumber(timestamp)])
    }

    /// The whole sweep, frames rendered in parallel. Pixel spacing is recorded as 1 (PLUS
    /// convention: the spacing lives in `ImageToProbe`).
    public func makeSequence() -> TrackedSequence {
        let noise = SpeckleNoise(relativeDeviation: phantom.speckle)
        let placeholder = TrackedFrame(image: Image(width: 0, height: 0), timestamp: 0)
        var frames = [TrackedFrame](repeating: placeholder, count: frameCount)
        frames.withSharedBuffer { out in
            DispatchQueue.concurrentPerform(iterations: frameCount) { i in
                out[i] = frame(i, noise: noise)
            }
        }
        return TrackedSequence(frames: frames, pixelSpacing: SIMD2(1, 1), storedOrientation: .mf)
    }
}
