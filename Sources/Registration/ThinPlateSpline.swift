#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry

/// A thin-plate spline that maps every `source` landmark exactly onto its `target`: an affine part
/// plus radial terms, `T(x) = A x + b + sum_i w_i U(|x - s_i|)`, with `sum w_i = 0` and
/// `sum w_i s_i^T = 0`. Stiffness 0 (exact interpolation), as ITK's kernel transforms and 3D Slicer
/// use them.
public struct ThinPlateSpline: Sendable, Equatable {
    /// The radial basis function.
    public enum Kernel: String, Sendable, Equatable, CaseIterable {
        /// `U(r) = r`: the 3-D biharmonic spline of ITK's `ThinPlateSplineKernelTransform`, the
        /// form 3D Slicer reads and writes (scipy's `RBFInterpolator(kernel='linear')`).
        case r
        /// `U(r) = r^2 log r`: ITK's `ThinPlateR2LogRSplineKernelTransform`, the 2-D thin-plate
        /// kernel (scipy's `RBFInterpolator(kernel='thin_plate_spline')`).
        case r2LogR

        /// The ITK class name (without `_double_3_3`).
        public var itkName: String { self == .r ? "ThinPlateSplineKernelTransform" : "ThinPlateR2LogRSplineKernelTransform" }

        func callAsFunction(_ r: Double) -> Double {
            switch self {
            case .r: return r
            case .r2LogR: return r > 0 ? r * r * log(r) : 0
            }
        }
    }

    public let source: [SIMD3<Double>]
    public let target: [SIMD3<Double>]
    public let kernel: Kernel
    /// Radial weights, one per landmark.
    let weights: [SIMD3<Double>]
    /// The affine part (its linear rows and translation).
    let affine: Transform3D

    /// Fits the spline; at least 4 non-coplanar, distinct landmarks are needed.
    public init(source: [SIMD3<Double>], target: [SIMD3<Double>], kernel: Kernel = .r) throws(RegistrationError) {
        guard source.count == target.count else { throw .pointCountMismatch(fixed: source.count, moving: target.count) }
        let n = source.count
        guard n >= 4 else { throw .tooFewPoints(model: "thin-plate", needed: 4, got: n) }
        let m = n + 4
        var a = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for i in 0..<n {
            for j in 0..<n {
                let d = source[i] - source[j]
                a[i][j] = kernel((d * d).sum().squareRoot())
            }
            let p = [source[i].x, source[i].y, source[i].z, 1]
            for k in 0..<4 { a[i][n + k] = p[k]; a[n + k][i] = p[k] }
        }
        var columns: [[Double]] = []
        for c in 0..<3 {
            guard let x = LinearSolver.solve(a, target.map { $0[c] } + [0, 0, 0, 0]) else {
                throw .degenerate(model: "thin-plate", reason: "the landmarks are coplanar or two coincide")
            }
            columns.append(x)
        }
        self.source = source
        self.target = target
        self.kernel = kernel
        weights = (0..<n).map { SIMD3(columns[0][$0], columns[1][$0], columns[2][$0]) }
        affine = Transform3D(rowMajor: (0..<3).flatMap { c in (0..<4).map { columns[c][n + $0] } } + [0, 0, 0, 1])
    }

    /// Maps `p`.
    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
        var out = affine.apply(p)
        for (s, w) in zip(source, weights) {
            let d = p - s
            out += w * kernel((d * d).sum().squareRoot())
        }
        return out
    }
}
