import Geometry

/// Where one output slice lies: its ImageToReference (pixel indices (x, y, 0) to volume
/// physical mm, PLUS's convention, so pixel spacing is in the matrix), the timestamp written
/// with it, and whether it is valid (frames whose input pose is invalid stay in the output,
/// zero-filled, with an INVALID transform status).
public struct SlicePose: Sendable, Hashable {
    /// Pixel (x, y, 0) -> reference (volume physical) mm.
    public var imageToReference: Transform3D
    /// Seconds for recorded poses; arc length in mm for curve slices.
    public var timestamp: Double
    /// Whether the pose can be sampled.
    public var isValid: Bool

    public init(imageToReference: Transform3D, timestamp: Double, isValid: Bool = true) {
        self.imageToReference = imageToReference
        self.timestamp = timestamp
        self.isValid = isValid
    }
}

/// The size and pixel spacing of every slice.
public struct SliceGeometry: Sendable, Hashable {
    /// Pixels along x and y.
    public var width: Int
    public var height: Int
    /// Pixel size in mm along x and y.
    public var spacing: SIMD2<Double>

    public init(width: Int, height: Int, spacing: SIMD2<Double>) {
        self.width = width
        self.height = height
        self.spacing = spacing
    }

    /// Slices larger than this many pixels are refused (a 16384 x 16384 slice).
    public static let maximumPixels = 1 << 28

    /// Checks size and spacing, naming the option at fault.
    public func validate() throws(ResliceError) {
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16, width * height <= Self.maximumPixels else {
            throw .invalidOption(name: "size", value: "\(width)x\(height)", reason: "each side must be 1 to 65536 pixels and the slice at most \(Self.maximumPixels) pixels")
        }
        guard spacing.x.isFinite, spacing.y.isFinite, spacing.x > 0, spacing.y > 0, spacing.x < 1e4, spacing.y < 1e4 else {
            throw .invalidOption(name: "spacing", value: "\(spacing.x) \(spacing.y)", reason: "pixel spacing must be positive, finite mm below 10 m")
        }
    }

    /// The centre pixel, ((width - 1) / 2, (height - 1) / 2): the curve passes through it.
    public var centrePixel: SIMD2<Double> { SIMD2(Double(width - 1) / 2, Double(height - 1) / 2) }

    /// The ImageToReference of a slice centred on `frame`.
    public func imageToReference(_ frame: CurveFrame) -> Transform3D {
        let c = centrePixel
        let ax = spacing.x * frame.xAxis, ay = spacing.y * frame.yAxis, n = frame.tangent
        let t = frame.centre - c.x * ax - c.y * ay
        return Transform3D(linear: [ax.x, ay.x, n.x, ax.y, ay.y, n.y, ax.z, ay.z, n.z], translation: t)
    }
}
