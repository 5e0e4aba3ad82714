import Geometry
import Imaging
import Reconstruction
import Recordings

/// Replays a recorded sequence as PlusServer streams it: for every frame, each valid tracker
/// transform as TRANSFORM (e.g. ProbeToTracker), then the image as IMAGE `Image_Reference`
/// whose matrix is ImageToReference computed with the configuration's calibration, exactly
/// as the offline reconstruction computes it (spacing comes from ImageToProbe, as in PLUS).
/// Frames whose ImageToReference is invalid are sent without an image (PlusServer does the same
/// for invalid embedded transforms), so a receiver compounds exactly the frames PLUS would.
public struct RecordingReplaySource: ReplaySource {
    public let path: String
    public let calibration: TransformRepository
    public let imageToReference: TransformName
    /// Poses from a separate tracker recording, paired with each frame by its timestamp.
    public var tracker: TrackerTimeline?
    /// Frames that had no valid ImageToReference (images not sent).
    public private(set) var framesWithoutPose = 0
    private var lastTime = 0.0
    private var framesInPass = 0
    private var reader: SequenceReader
    private var firstTime: Double?
    private var queued: [ReplayEvent] = []

    /// - Parameter imageToReference: the transform baked into IMAGE matrices (its frames name the device, `Image_Reference`).
    public init(path: String, calibration: TransformRepository, imageToReference: TransformName = TransformName(from: "Image", to: "Reference")) throws {
        self.path = path
        self.calibration = calibration
        self.imageToReference = imageToReference
        reader = try SequenceReader(path: path)
    }

    public mutating func next() throws -> ReplayEvent? {
        while queued.isEmpty {
            guard let recorded = try reader.next() else { return nil }
            let frame = tracker?.pair(recorded) ?? recorded
            let t0 = firstTime ?? frame.timestamp
            firstTime = t0
            let t = frame.timestamp - t0
            lastTime = t
            framesInPass += 1
            for (name, transform) in frame.transforms.sorted(by: { $0.key.description < $1.key.description }) where transform.status == .ok {
                queued.append(.transform(time: t, name: name, matrix: transform.matrix))
            }
            if let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: imageToReference) {
                queued.append(.image(time: t, device: "\(imageToReference.from)_\(imageToReference.to)", image: frame.image, matrix: m))
            } else {
                framesWithoutPose += 1
            }
        }
        return queued.removeFirst()
    }

    public mutating func rewind() throws -> Double {
        let interval = framesInPass > 1 ? lastTime / Double(framesInPass - 1) : 0.1
        let length = lastTime + interval
        reader = try SequenceReader(path: path)
        queued = []
        firstTime = nil
        lastTime = 0
        framesInPass = 0
        return length
    }
}
