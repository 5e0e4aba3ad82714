import Geometry
import Imaging
import Recordings

/// VTK's minimal-standard (Park-Miller) random sequence, bit-exact, so the PLUS FakeTracker's
/// pivot-calibration poses can be regenerated.
struct MinimalStandardRandom {
    private(set) var seed: Int64
    init(seed value: Int64) {
        seed = value < 1 ? value + 2_147_483_646 : (value == 2_147_483_647 ? 1 : value)
        next(); next(); next()
    }
    mutating func next() { seed = (seed * 16807) % 2_147_483_647 }
    var value: Double { Double(seed) / 2_147_483_647 }
    func range(_ lo: Double, _ hi: Double) -> Double { lo + value * (hi - lo) }
}

/// vtkTransform-style builders (PreMultiply: each call right-multiplies).
extension Transform3D {
    func translated(_ x: Double, _ y: Double, _ z: Double) -> Transform3D { self * .translation(SIMD3(x, y, z)) }
    func rotatedX(_ deg: Double) -> Transform3D { self * .rotation(axis: SIMD3(1, 0, 0), angle: deg * .pi / 180) }
    func rotatedY(_ deg: Double) -> Transform3D { self * .rotation(axis: SIMD3(0, 1, 0), angle: deg * .pi / 180) }
    func rotatedZ(_ deg: Double) -> Transform3D { self * .rotation(axis: SIMD3(0, 0, 1), angle: deg * .pi / 180) }
}

/// Regenerates the input of PLUS's `vtkStylusCalibrationTest`: `vtkPlusFakeTracker` in
/// `PivotCalibration` mode (config PlusDeviceSet_fCal_Sim_PivotCalibration.xml) seeds a fresh
/// random sequence with 0, 1, 2, ... for each tracker frame and pivots the stylus about
/// (205, 305, 55) in the Reference frame with a 210 +- 1 mm tip; the test replaces 5 % of the
/// poses by random outliers (seed 183495439).
enum PlusFakeTracker {
    static let referenceToTracker = Transform3D.identity.translated(300, 400, 700).rotatedZ(90)

    static func stylusToReference(frame: Int) -> Transform3D {
        var r = MinimalStandardRandom(seed: Int64(frame))
        r.next(); let theta = r.range(-60, 60)
        r.next(); let phi = r.range(-60, 60)
        r.next(); let radius = r.range(209, 211)
        return Transform3D.identity.translated(205, 305, 55).rotatedY(phi).rotatedZ(theta).translated(-radius, 0, 0)
    }

    /// Tracked frames as a PLUS recording of the fake tracker would hold them
    /// (`StylusToTracker`, `ReferenceToTracker`), with outliers injected as PLUS's test does.
    static func frames(count: Int, outlierProbability: Double = 0.05) -> (frames: [TrackedFrame], outliers: Int) {
        var random = MinimalStandardRandom(seed: 183_495_439)
        var frames: [TrackedFrame] = []
        var outliers = 0
        for i in 0..<count {
            var stylusToReference = stylusToReference(frame: i)
            random.next()
            if random.value < outlierProbability {
                outliers += 1
                random.next(); let rx = random.range(-160, 160)
                random.next(); let ry = random.range(-160, 160)
                random.next(); let rz = random.range(-160, 160)
                random.next(); let tx = random.range(-1000, 1000)
                random.next(); let ty = random.range(-1000, 1000)
                random.next(); let tz = random.range(-1000, 1000)
                stylusToReference = Transform3D.identity.translated(tx, ty, tz).rotatedX(rx).rotatedY(ry).rotatedZ(rz)
            }
            let stylusToTracker = referenceToTracker * stylusToReference
            frames.append(TrackedFrame(image: Image(width: 1, height: 1), timestamp: Double(i) * 0.05, transforms: [
                TransformName(from: "Stylus", to: "Tracker"): TrackedTransform(matrix: stylusToTracker, status: .ok),
                TransformName(from: "Reference", to: "Tracker"): TrackedTransform(matrix: referenceToTracker, status: .ok),
            ]))
        }
        return (frames, outliers)
    }
}
