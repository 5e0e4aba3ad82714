import Geometry

/// Registers a phantom to the tracker reference from landmarks touched with a calibrated stylus:
/// the defined landmark positions (phantom frame, from the configuration's
/// `PhantomDefinition/Geometry/Landmarks`) are paired in order with the recorded ones
/// (reference frame) and the rigid `PhantomToReference` is fitted by least squares.
public struct PhantomLandmarkRegistration: Sendable {
    /// A named landmark of the phantom definition.
    public struct Landmark: Sendable, Hashable {
        public var name: String
        public var position: SIMD3<Double>
        public init(name: String, position: SIMD3<Double>) {
            self.name = name
            self.position = position
        }
    }

    /// Why registration failed.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case notEnoughLandmarks(recorded: Int, defined: Int)
        case registration(RigidRegistration.Failure)
        public var description: String {
            switch self {
            case let .notEnoughLandmarks(r, d):
                return "phantom registration needs at least 3 recorded landmarks (of \(d) defined), got \(r); rest the stylus tip on each landmark in order and pivot it for a second"
            case let .registration(f): return "phantom registration failed: \(f)"
            }
        }
    }

    /// The phantom's landmarks in definition order.
    public var defined: [Landmark]

    public init(defined: [Landmark]) { self.defined = defined }

    /// The smallest distance between two defined landmarks (mm), used to tell landmarks apart.
    public var minimumLandmarkDistance: Double {
        var best = Double.infinity
        for i in defined.indices {
            for j in (i + 1)..<max(defined.count, i + 1) { best = min(best, (defined[i].position - defined[j].position).length) }
        }
        return best
    }

    /// `PhantomToReference` from the first `recorded.count` defined landmarks.
    public func register(recorded: [SIMD3<Double>]) throws(Failure) -> RigidRegistration {
        let n = min(recorded.count, defined.count)
        guard n >= 3 else { throw .notEnoughLandmarks(recorded: recorded.count, defined: defined.count) }
        do {
            return try RigidRegistration(source: defined.prefix(n).map(\.position), target: Array(recorded.prefix(n)))
        } catch {
            throw .registration(error)
        }
    }
}
