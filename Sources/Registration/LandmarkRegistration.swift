import Geometry

/// Point-based registration of a moving image to a fixed one from paired landmarks. The result
/// maps fixed-image points to moving-image points (ITK's and 3D Slicer's resampling direction:
/// load it in Slicer and put the moving volume under it to align it with the fixed one).
public struct LandmarkRegistration: Sendable {
    /// The transform model.
    public enum Model: String, Sendable, CaseIterable {
        case rigid, similarity, affine
        case thinPlate = "thin-plate"

        var minimumPoints: Int { self == .affine || self == .thinPlate ? 4 : 3 }
    }

    /// Fixed -> moving.
    public let transform: SpatialTransform
    /// For rigid and similarity: the shared closed-form solution (quaternion, scale).
    public let closedForm: RigidRegistration?
    /// Fiducial registration error per point pair, mm: `|T(fixed_i) - moving_i|`.
    public let fiducialErrors: [Double]
    /// Leave-one-out target error per point pair, mm: point i mapped by the transform fitted to the
    /// other points (nil when there are too few points to leave one out).
    public let leaveOneOutErrors: [Double]?

    /// Registers `moving` to `fixed` (paired by index) with `model`.
    public init(fixed: [SIMD3<Double>], moving: [SIMD3<Double>], model: Model,
                kernel: ThinPlateSpline.Kernel = .r) throws(RegistrationError) {
        let (t, closed) = try LandmarkRegistration.fit(fixed, moving, model, kernel)
        transform = t
        closedForm = closed
        fiducialErrors = zip(fixed, moving).map { LandmarkRegistration.distance(t.apply($0), $1) }
        if fixed.count > model.minimumPoints {
            var errors: [Double] = []
            for i in fixed.indices {
                var f = fixed, m = moving
                f.remove(at: i); m.remove(at: i)
                // A subset may be degenerate even when the whole set is not: report it as infinite.
                let subset = try? LandmarkRegistration.fit(f, m, model, kernel).0
                errors.append(subset.map { LandmarkRegistration.distance($0.apply(fixed[i]), moving[i]) } ?? .infinity)
            }
            leaveOneOutErrors = errors
        } else {
            leaveOneOutErrors = nil
        }
    }

    static func fit(_ fixed: [SIMD3<Double>], _ moving: [SIMD3<Double>], _ model: Model,
                    _ kernel: ThinPlateSpline.Kernel) throws(RegistrationError) -> (SpatialTransform, RigidRegistration?) {
        guard fixed.count == moving.count else { throw .pointCountMismatch(fixed: fixed.count, moving: moving.count) }
        guard fixed.count >= model.minimumPoints else {
            throw .tooFewPoints(model: model.rawValue, needed: model.minimumPoints, got: fixed.count)
        }
        switch model {
        case .rigid, .similarity:
            do {
                let r = try RigidRegistration(source: fixed, target: moving, scaling: model == .similarity)
                return (.linear(r.transform), r)
            } catch {
                throw .degenerate(model: model.rawValue, reason: error.description)
            }
        case .affine:
            return (.linear(try AffineFit.fit(source: fixed, target: moving)), nil)
        case .thinPlate:
            return (.thinPlate(try ThinPlateSpline(source: fixed, target: moving, kernel: kernel)), nil)
        }
    }

    static func distance(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> Double { ((a - b) * (a - b)).sum().squareRoot() }
}
