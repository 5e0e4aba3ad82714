/// A digital ultrasound phantom with known geometry, in phantom millimetres.
///
/// The phantom frame is the sweep's `Reference` frame, so a volume reconstructed in Reference
/// coordinates lies on the phantom's own axes. The ground-truth intensity at a point is the
/// echogenicity of the last listed object containing it (later objects are painted over earlier
/// ones), or `background` outside every object. Frames add multiplicative speckle with relative
/// standard deviation `speckle` on top of this mean.
public struct Phantom: Sendable, Hashable {
    /// The objects, in painting order.
    public var objects: [PhantomObject]
    /// Mean echogenicity of the tissue around the objects (0...255).
    public var background: Double
    /// Relative standard deviation of the speckle multiplying the mean intensity (0 = none).
    public var speckle: Double

    public init(objects: [PhantomObject], background: Double = 60, speckle: Double = 0.2) {
        self.objects = objects
        self.background = background
        self.speckle = speckle
    }

    /// The noise-free (mean) intensity at `p`: the ground truth.
    public func intensity(at p: SIMD3<Double>) -> Double {
        for object in objects.reversed() where object.contains(p) { return object.intensity }
        return background
    }

    /// The standard phantom used by `freehand simulate` and the bundled sample: a box of
    /// about 50 x 40 x 60 mm (x lateral, y depth, z sweep direction) holding three spheres (a
    /// bright one, an anechoic cyst, a small hyperechoic one), two wires (one along the sweep,
    /// one diagonal) and a bright bottom plate at 37...39 mm depth.
    public static let standard = Phantom(objects: [
        .slab(normal: SIMD3(0, 1, 0), near: 37, far: 39, intensity: 220),
        .sphere(center: SIMD3(-10, 15, 20), radius: 6, intensity: 200),
        .sphere(center: SIMD3(8, 24, 34), radius: 8, intensity: 8),
        .sphere(center: SIMD3(12, 11, 46), radius: 4, intensity: 160),
        .wire(start: SIMD3(-17, 30, 0), end: SIMD3(-17, 30, 60), radius: 0.5, intensity: 255),
        .wire(start: SIMD3(-20, 33, 0), end: SIMD3(20, 27, 60), radius: 0.5, intensity: 255),
    ], background: 60, speckle: 0.2)
}
