import Geometry

/// Pixel spacing from the known distances between wires (PLUS's `vtkPlusSpacingCalibAlgo`):
/// in each labelled frame the side wires of an N are a known distance apart (horizontally in the
/// image) and the last wires of neighbouring Ns are a known distance apart (vertically), so
/// `sx^2 dx^2 + sy^2 dy^2 = d^2` for every such pair; `sx^2, sy^2` are their least-squares
/// solution with PLUS's 3-sigma outlier rejection.
public struct NWireSpacingCalibration: Sendable {
    /// The spacing estimate.
    public struct Result: Sendable, Hashable {
        /// mm per pixel along x and y.
        public var spacing: SIMD2<Double>
        /// Mean and standard deviation of the squared-distance residuals (mm^2) of the last fit, as PLUS reports them.
        public var residualMean: Double
        public var residualStandardDeviation: Double
        /// Equations used after outlier rejection, and in total.
        public var equationsUsed: Int
        public var equationCount: Int
    }

    /// The phantom (needs at least two N-wire patterns).
    public var phantom: NWirePhantom

    public init(phantom: NWirePhantom) throws(NWireError) {
        guard phantom.patterns.count >= 2 else {
            throw .invalidPhantom("spacing calibration needs at least two NWire patterns, the phantom has \(phantom.patterns.count)")
        }
        self.phantom = phantom
    }

    /// Distance between two parallel (or nearly parallel) wires, mm.
    static func distance(_ a: PhantomWire, _ b: PhantomWire) -> Double {
        let d = a.back - a.front
        return d.cross(b.front - a.front).length / d.length
    }

    /// Estimates the spacing from labelled frames (`NWireSegmentation.points`; frames without a pattern are skipped).
    public func estimate(_ frames: [[SIMD2<Double>]]) throws(NWireError) -> Result {
        let patterns = phantom.patterns
        var a: [SIMD2<Double>] = [], b: [Double] = []
        for points in frames where points.count == 3 * patterns.count {
            for w in 0..<(patterns.count - 1) {
                let horizontalMm = Self.distance(patterns[w].wires[0], patterns[w].wires[2])
                let verticalMm = Self.distance(patterns[w].wires[2], patterns[w + 1].wires[2])
                let right = points[3 * w], left = points[3 * w + 2]
                let bottom = points[3 * w + 2], top = points[3 * (w + 1) + 2]
                let h = right - left, v = bottom - top
                a.append(h * h); b.append(horizontalMm * horizontalMm)
                a.append(v * v); b.append(verticalMm * verticalMm)
            }
        }
        guard b.count > 8 else { throw .notEnoughFrames(found: b.count / (2 * (patterns.count - 1)), needed: 5) }
        var active = Array(0..<b.count)
        var x: [Double] = [0, 0]
        var mean = 0.0, sd = 0.0
        var outlierFound = true
        while outlierFound && active.count > 8 {
            var m: [Double] = [], rhs: [Double] = []
            for i in active { m += [a[i].x, a[i].y]; rhs.append(b[i]) }
            guard let s = LinearSolver.leastSquares(m, rows: active.count, columns: 2, rhs) else {
                throw .singularSystem("the wire distances do not determine both pixel sizes")
            }
            x = s
            let residuals = active.map { a[$0].x * x[0] + a[$0].y * x[1] - b[$0] }
            mean = residuals.reduce(0, +) / Double(residuals.count)
            sd = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(residuals.count)).squareRoot()
            outlierFound = false
            if sd < 1e-12 { break }
            var next: [Int] = []
            for (j, i) in active.enumerated() {
                if abs(residuals[j] - mean) < 3 * sd { next.append(i) } else { outlierFound = true }
            }
            active = next
        }
        guard x[0] > 0, x[1] > 0 else { throw .singularSystem("negative squared spacing (\(x[0]), \(x[1])): the frames do not constrain both axes") }
        return Result(spacing: SIMD2(x[0].squareRoot(), x[1].squareRoot()), residualMean: mean,
                      residualStandardDeviation: sd, equationsUsed: active.count, equationCount: b.count)
    }
}
