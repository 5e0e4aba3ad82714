import Geometry

/// A transform of physical points (mm, LPS): linear (4x4 matrix) or a thin-plate spline.
public enum SpatialTransform: Sendable, Equatable {
    case linear(Transform3D)
    case thinPlate(ThinPlateSpline)

    /// Maps `p`.
    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
        switch self {
        case .linear(let m): return m.apply(p)
        case .thinPlate(let s): return s.apply(p)
        }
    }

    /// The matrix of a linear transform.
    public var matrix: Transform3D? {
        if case .linear(let m) = self { return m }
        return nil
    }
}

/// The composition of transforms that maps each output point to the input volume: the linear
/// ones next to each other are multiplied into one matrix, so the whole chain costs at most one
/// matrix product per linear run and one spline evaluation per spline, and the volume is
/// interpolated once.
public struct TransformChain: Sendable, Equatable {
    /// Transforms in the order they are applied to a point.
    public private(set) var steps: [SpatialTransform]

    /// The identity.
    public init() { steps = [] }

    /// A chain applying `transforms` in order (the first one first).
    public init(_ transforms: [SpatialTransform]) {
        steps = []
        for t in transforms { append(t) }
    }

    /// Appends `t` (applied after the current steps), merging it into a trailing matrix.
    public mutating func append(_ t: SpatialTransform) {
        if case .linear(let m) = t, case .linear(let previous)? = steps.last {
            steps[steps.count - 1] = .linear(m * previous)
        } else {
            steps.append(t)
        }
    }

    /// Maps `p` through every step.
    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
        steps.reduce(p) { $1.apply($0) }
    }

    /// The single matrix when every step is linear (identity when empty).
    public var matrix: Transform3D? {
        if steps.isEmpty { return .identity }
        if steps.count == 1, let m = steps[0].matrix { return m }
        return nil
    }
}
