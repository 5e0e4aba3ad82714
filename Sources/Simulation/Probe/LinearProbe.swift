import Geometry

/// A simulated linear-array probe: the B-mode image size and the calibration that places
/// image pixels in the probe's frame.
///
/// Pixel coordinates follow PLUS: the `Image` frame's origin is the centre of the top-left
/// pixel of the MF image, +x runs along the array towards the marked side, +y runs with depth,
/// and its unit is one pixel, so `imageToProbe` carries the pixel spacing as a scale.
/// The probe frame has its origin at the centre of the transducer face, x along the array,
/// y into the tissue, z across the image plane.
public struct LinearProbe: Sendable, Hashable {
    /// Image width in pixels (columns, along the array).
    public var width: Int
    /// Image height in pixels (rows, with depth).
    public var height: Int
    /// Pixel size in mm along x and y.
    public var spacing: SIMD2<Double>
    /// The small rigid part of the calibration (a probe's real calibration is never exactly
    /// axis-aligned): rotation angles in degrees about x, y, z and an offset in mm.
    public var mountingAnglesDegrees: SIMD3<Double>
    public var mountingOffset: SIMD3<Double>

    public init(width: Int = 256, height: Int = 200, spacing: SIMD2<Double> = SIMD2(0.2, 0.2),
                mountingAnglesDegrees: SIMD3<Double> = SIMD3(-0.8, 0.6, 1.5),
                mountingOffset: SIMD3<Double> = SIMD3(0.4, 0.3, -0.2)) {
        self.width = width
        self.height = height
        self.spacing = spacing
        self.mountingAnglesDegrees = mountingAnglesDegrees
        self.mountingOffset = mountingOffset
    }

    /// Width and depth of the image in mm (pixel centre to pixel centre).
    public var fieldOfView: SIMD2<Double> {
        SIMD2(Double(width - 1) * spacing.x, Double(height - 1) * spacing.y)
    }

    /// The calibration `ImageToProbe`: scale pixels to mm, centre the array on the probe
    /// origin, then apply the mounting rotation and offset.
    public var imageToProbe: Transform3D {
        let zScale = (spacing.x + spacing.y) / 2
        let scale = Transform3D.scaling(SIMD3(spacing.x, spacing.y, zScale))
        let centre = Transform3D.translation(SIMD3(-fieldOfView.x / 2, 0, 0))
        let a = mountingAnglesDegrees * (Double.pi / 180)
        let rotation = Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: a.z)
            * Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: a.y)
            * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: a.x)
        return Transform3D.translation(mountingOffset) * rotation * centre * scale
    }
}
