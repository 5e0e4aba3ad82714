import Geometry
import Imaging

/// A recorded tracked-ultrasound sequence held in memory: frames in MF orientation plus the
/// file-level fields.
public struct TrackedSequence: Sendable {
    /// The frames in recording order.
    public var frames: [TrackedFrame]
    /// Image pixel spacing in mm (x, y) from the file (`ElementSpacing`), 1 when absent.
    public var pixelSpacing: SIMD2<Double>
    /// The orientation the file stored its pixels in (frames are flipped to MF on reading).
    public var storedOrientation: UltrasoundImageOrientation
    /// File-level fields other than the geometry ones, in file order.
    public var header: [(key: String, value: String)]

    public init(frames: [TrackedFrame] = [], pixelSpacing: SIMD2<Double> = SIMD2(1, 1),
                storedOrientation: UltrasoundImageOrientation = .mf, header: [(key: String, value: String)] = []) {
        self.frames = frames
        self.pixelSpacing = pixelSpacing
        self.storedOrientation = storedOrientation
        self.header = header
    }
}
