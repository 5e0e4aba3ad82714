import Geometry
import Imaging
import Recordings

/// Frames carrying a ProbeToTracker / ReferenceToTracker pair for tests.
enum TrackedFrameFixture {
    /// A frame whose ImageToReference is the identity when `calibration` holds identity ImageToProbe.
    static func frame(image: Image, status: TransformStatus) -> TrackedFrame {
        TrackedFrame(image: image, timestamp: 0, transforms: [
            TransformName("ImageToReference")!: TrackedTransform(matrix: .identity, status: status),
        ])
    }
}
