import Geometry
import Imaging
import Recordings

/// One received image with the pose it was paired with, ready to compound or record.
public struct PairedFrame: Sendable {
    /// The 2-D image (pixel (x, y) = IMAGE voxel (i, j, 0)), assumed MF as PLUS sends it.
    public var image: Image
    /// Seconds: the IMAGE header timestamp, or the receive wall-clock time when it had none.
    public var timestamp: Double
    /// Monotonic receive time in nanoseconds (for latency).
    public var receivedAt: UInt64
    /// IMAGE device name.
    public var deviceName: String
    /// Pixel indices -> reference frame (mm), or nil when no valid pose could be found.
    public var imageToReference: Transform3D?
    /// Why `imageToReference` is nil (nil when the frame is posed, or only tracker transforms
    /// were asked for).
    public var rejection: PairingRejection?
    /// The transforms known at the image's time: the image's embedded transform, every
    /// tracker's interpolated pose, and the resulting ImageToReference (for recording).
    public var transforms: [TransformName: TrackedTransform]

    public init(image: Image, timestamp: Double, receivedAt: UInt64, deviceName: String, imageToReference: Transform3D?,
                rejection: PairingRejection? = nil, transforms: [TransformName: TrackedTransform] = [:]) {
        self.image = image
        self.timestamp = timestamp
        self.receivedAt = receivedAt
        self.deviceName = deviceName
        self.imageToReference = imageToReference
        self.rejection = rejection
        self.transforms = transforms
    }

    /// The frame as PLUS records it (ImageStatus INVALID when no pose was found).
    public var trackedFrame: TrackedFrame {
        TrackedFrame(image: image, timestamp: timestamp, imageStatus: .ok, transforms: transforms)
    }
}
