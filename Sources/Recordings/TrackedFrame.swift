import Geometry
import Imaging

/// A transform carried by a frame, with its tracking status.
public struct TrackedTransform: Sendable, Hashable {
    /// The matrix (from -> to, mm).
    public var matrix: Transform3D
    /// `ok` when the tracker saw the tool.
    public var status: TransformStatus

    public init(matrix: Transform3D, status: TransformStatus) {
        self.matrix = matrix
        self.status = status
    }
}

/// One frame of a tracked ultrasound recording: the image, its timestamp and the tracker
/// transforms recorded with it.
public struct TrackedFrame: Sendable {
    /// The image, MF orientation.
    public var image: Image
    /// Acquisition time in seconds (PLUS `Timestamp`).
    public var timestamp: Double
    /// Whether the image itself is valid (PLUS `ImageStatus`; absent means OK).
    public var imageStatus: TransformStatus
    /// Transforms recorded with the frame, keyed by name (`ProbeToTracker`, ...).
    public var transforms: [TransformName: TrackedTransform]
    /// Every other per-frame field, verbatim (`FrameNumber`, `UnfilteredTimestamp`, ...).
    public var fields: [String: String]
    /// Fields of this frame that could not be used (their transforms are marked INVALID).
    public var problems: [FrameProblem] = []

    public init(image: Image, timestamp: Double, imageStatus: TransformStatus = .ok,
                transforms: [TransformName: TrackedTransform] = [:], fields: [String: String] = [:]) {
        self.image = image
        self.timestamp = timestamp
        self.imageStatus = imageStatus
        self.transforms = transforms
        self.fields = fields
    }

    /// A repository holding this frame's transforms on top of `base` (typically the
    /// calibration transforms from a device-set configuration).
    public func repository(base: TransformRepository = TransformRepository()) -> TransformRepository {
        var r = base
        for (name, t) in transforms.sorted(by: { $0.key.description < $1.key.description }) {
            r.set(name, t.matrix, status: t.status)
        }
        return r
    }
}
