import Geometry
import Imaging
import Recordings

/// One frame's input to the probe calibration: the labelled dots and where the probe was.
public struct NWireObservation: Sendable {
    /// Labelled wire intersections in pixels, `points[3 * pattern + wire]` (as `NWireSegmentation.points`).
    public var points: [SIMD2<Double>]
    /// The tracked probe pose, ProbeToReference.
    public var probeToReference: Transform3D

    public init(points: [SIMD2<Double>], probeToReference: Transform3D) {
        self.points = points
        self.probeToReference = probeToReference
    }
}

/// Error statistics as PLUS reports them: mean, standard deviation and maximum of the lowest
/// 95 % of the values (`igsioMath::ComputePercentile`).
public struct NWireErrorStatistics: Sendable, Hashable {
    public var mean: Double
    public var standardDeviation: Double
    public var maximum: Double
    /// How many values were summarised (before the 95 % cut).
    public var count: Int
}

/// The in-plane (2-D) reprojection error of one wire: segmented minus computed intersection, pixels.
public struct NWireWireError: Sendable, Hashable {
    public var wireName: String
    public var mean: SIMD2<Double>
    public var standardDeviation: SIMD2<Double>
}

/// The outcome of an N-wire probe calibration.
public struct NWireCalibrationResult: Sendable {
    /// The calibration: image pixels (x, y, 0) to probe millimetres.
    public var imageToProbe: Transform3D
    /// PLUS's linear least-squares solution (with 3-sigma outlier rejection and the z column completed),
    /// the starting point of the refinement.
    public var linearImageToProbe: Transform3D
    /// Pixel size in mm (lengths of the image x and y axes in the probe frame).
    public var pixelSize: SIMD2<Double> { SIMD2(imageToProbe.column(0).length, imageToProbe.column(1).length) }
    /// Angle between the image x and y axes in the probe frame, degrees (90 for a rigid-plus-scale result).
    public var axesAngleDegrees: Double { angleDegrees(imageToProbe.column(0), imageToProbe.column(1)) }
    /// 3-D point reconstruction error (PRE3D) of the middle-wire points, calibration frames, mm.
    public var calibrationError: NWireErrorStatistics
    /// PRE3D on the validation frames, mm.
    public var validationError: NWireErrorStatistics
    /// Per-wire in-plane errors on the validation frames, pixels.
    public var validationInPlaneErrors: [NWireWireError]
    /// Frames that contributed (pattern recognised and pose valid).
    public var calibrationFrameCount: Int
    public var validationFrameCount: Int
    /// Middle-wire points rejected as outliers by the linear solution.
    public var outlierCount: Int
}

/// N-wire (freehand) probe calibration, as PLUS's `vtkPlusProbeCalibrationAlgo`: every recognised
/// pattern gives, for each N, a middle-wire point known both in pixels and (through the phantom
/// registration and the tracked probe pose) in the probe frame; ImageToProbe is their least-squares
/// affine fit, optionally refined to a rotation, translation and two pixel sizes.
public struct NWireCalibration: Sendable {
    /// How the linear solution is post-processed.
    public enum Refinement: Sendable, Hashable {
        /// Keep the linear solution (what PLUS does when no optimisation method is configured).
        case none
        /// Orthogonalise and refine rotation, translation and the two pixel sizes with
        /// Levenberg-Marquardt on the middle-wire 3-D distances (PLUS's `3D` optimisation with anisotropic spacing).
        case rigidWithScale
    }

    /// The phantom.
    public var phantom: NWirePhantom
    /// The phantom registration (PhantomToReference).
    public var phantomToReference: Transform3D
    /// The post-processing of the linear solution.
    public var refinement: Refinement
    /// Fewest frames with a recognised pattern the calibration accepts (PLUS: 10).
    public var minimumFrameCount = 10
    /// Fraction of the errors kept in the statistics (PLUS: 0.95).
    public var errorConfidenceLevel = 0.95

    public init(phantom: NWirePhantom, phantomToReference: Transform3D, refinement: Refinement = .rigidWithScale) {
        self.phantom = phantom
        self.phantomToReference = phantomToReference
        self.refinement = refinement
    }

    /// ProbeToReference of a tracked frame: `ProbeToReference` itself or a chain through the tracker
    /// (`ProbeToTracker`, `ReferenceToTracker`); nil when missing or not OK.
    public static func probeToReference(of frame: TrackedFrame, base: TransformRepository = TransformRepository(),
                                        probe: String = "Probe", reference: String = "Reference") -> Transform3D? {
        guard let r = try? frame.repository(base: base).transform(TransformName(from: probe, to: reference)),
              r.status == .ok else { return nil }
        return r.matrix
    }

    /// Segments calibration and validation frames (reporting `(done, total)` over both) and calibrates.
    public func calibrate(calibrationFrames: [TrackedFrame], validationFrames: [TrackedFrame], segmenter: NWireSegmenter,
                          base: TransformRepository = TransformRepository(),
                          progress: ((Int, Int) -> Void)? = nil) throws(NWireError) -> NWireCalibrationResult {
        let total = calibrationFrames.count + validationFrames.count
        if let bad = (calibrationFrames + validationFrames).first(where: { $0.image.scalarType != .uint8 || $0.image.components != 1 }) {
            throw .unsupportedImage("expected 8-bit single-component frames, got \(bad.image.scalarType) x\(bad.image.components)")
        }
        func observe(_ frames: [TrackedFrame], offset: Int) -> [NWireObservation] {
            let segmentations = segmenter.segment(frames.map(\.image)) { done, _ in progress?(offset + done, total) }
            return zip(frames, segmentations).compactMap { frame, s in
                guard s.isPatternFound, frame.imageStatus == .ok,
                      let pose = Self.probeToReference(of: frame, base: base) else { return nil }
                return NWireObservation(points: s.points, probeToReference: pose)
            }
        }
        let calibration = observe(calibrationFrames, offset: 0)
        let validation = observe(validationFrames, offset: calibrationFrames.count)
        return try calibrate(calibration: calibration, validation: validation)
    }

    /// Per-frame data derived once: middle points in pixels and in the probe frame.
    struct Prepared {
        var imagePoints: [[SIMD2<Double>]]      // all 3 * patterns points per frame
        var middleInProbe: [[SIMD3<Double>]]    // per frame, per pattern
        var probeToPhantom: [Transform3D]
    }

    func prepare(_ observations: [NWireObservation]) throws(NWireError) -> Prepared {
        var p = Prepared(imagePoints: [], middleInProbe: [], probeToPhantom: [])
        guard let referenceToPhantom = phantomToReference.inverse else {
            throw .singularSystem("PhantomToReference is singular")
        }
        for (i, o) in observations.enumerated() {
            guard o.points.count == 3 * phantom.patterns.count else { continue }
            guard let referenceToProbe = o.probeToReference.inverse else {
                throw .missingTransform(frame: i, "ProbeToReference is singular")
            }
            var r = referenceToProbe
            r.elements[12] = 0; r.elements[13] = 0; r.elements[14] = 0; r.elements[15] = 1
            let phantomToProbe = r * phantomToReference
            var middles: [SIMD3<Double>] = []
            for (k, pattern) in phantom.patterns.enumerated() {
                let m = pattern.middlePoint(dots: Array(o.points[(3 * k)..<(3 * k + 3)]))
                middles.append(phantomToProbe.apply(m))
            }
            p.imagePoints.append(o.points)
            p.middleInProbe.append(middles)
            p.probeToPhantom.append(referenceToPhantom * o.probeToReference)
        }
        return p
    }

    /// Calibrates from labelled observations.
    public func calibrate(calibration: [NWireObservation], validation: [NWireObservation]) throws(NWireError) -> NWireCalibrationResult {
        let cal = try prepare(calibration)
        let val = try prepare(validation)
        guard cal.imagePoints.count >= minimumFrameCount else {
            throw .notEnoughFrames(found: cal.imagePoints.count, needed: minimumFrameCount)
        }
        let (linear, outliers) = try linearSolution(cal)
        var result = linear
        if refinement == .rigidWithScale {
            // Drop frames with any outlier point, as PLUS's UpdateNonOutlierData.
            let n = phantom.patterns.count
            var kept = Prepared(imagePoints: [], middleInProbe: [], probeToPhantom: [])
            for f in 0..<cal.imagePoints.count where !(0..<n).contains(where: { outliers.contains(f * n + $0) }) {
                kept.imagePoints.append(cal.imagePoints[f])
                kept.middleInProbe.append(cal.middleInProbe[f])
                kept.probeToPhantom.append(cal.probeToPhantom[f])
            }
            result = refine(linear, kept)
        }
        return NWireCalibrationResult(
            imageToProbe: result, linearImageToProbe: linear,
            calibrationError: errorStatistics(result, cal), validationError: errorStatistics(result, val),
            validationInPlaneErrors: inPlaneErrors(result, val),
            calibrationFrameCount: cal.imagePoints.count, validationFrameCount: val.imagePoints.count,
            outlierCount: outliers.count)
    }

    // MARK: linear solution

    /// Row by row least squares of probe coordinates against (u, v, 1), with PLUS's iterative
    /// 3-sigma outlier rejection; then the z column is set to x cross y scaled to the mean pixel size.
    func linearSolution(_ p: Prepared) throws(NWireError) -> (Transform3D, Set<Int>) {
        let n = phantom.patterns.count
        var uv: [SIMD2<Double>] = [], targets: [SIMD3<Double>] = []
        for f in 0..<p.imagePoints.count {
            for k in 0..<n {
                uv.append(p.imagePoints[f][3 * k + 1])
                targets.append(p.middleInProbe[f][k])
            }
        }
        var rows: [[Double]] = []
        var outliers = Set<Int>()
        for component in 0..<3 {
            var active = Array(0..<uv.count)
            var x: [Double] = []
            var outlierFound = true
            while outlierFound && active.count > 8 {
                var a: [Double] = []
                a.reserveCapacity(active.count * 3)
                var b: [Double] = []
                for i in active { a += [uv[i].x, uv[i].y, 1]; b.append(targets[i][component]) }
                guard let solution = LinearSolver.leastSquares(a, rows: active.count, columns: 3, b) else {
                    throw .singularSystem("the middle-wire points do not span the image plane")
                }
                x = solution
                let residuals = active.map { uv[$0].x * x[0] + uv[$0].y * x[1] + x[2] - targets[$0][component] }
                let mean = residuals.reduce(0, +) / Double(residuals.count)
                let sd = (residuals.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(residuals.count)).squareRoot()
                var next: [Int] = []
                outlierFound = false
                if sd < 1e-12 { break }   // exact fit: nothing to reject
                for (j, i) in active.enumerated() {
                    if abs(residuals[j] - mean) < 3 * sd { next.append(i) } else { outlierFound = true; outliers.insert(i) }
                }
                if outlierFound { active = next }
                if active.count <= 8 { throw .singularSystem("not enough equations left after outlier removal") }
            }
            rows.append(x)
        }
        let xAxis = SIMD3(rows[0][0], rows[1][0], rows[2][0]), yAxis = SIMD3(rows[0][1], rows[1][1], rows[2][1])
        var zAxis = xAxis.cross(yAxis)
        zAxis *= (xAxis.length + yAxis.length) / 2 / zAxis.length
        let m = Transform3D(rowMajor: [xAxis.x, yAxis.x, zAxis.x, rows[0][2],
                                       xAxis.y, yAxis.y, zAxis.y, rows[1][2],
                                       xAxis.z, yAxis.z, zAxis.z, rows[2][2],
                                       0, 0, 0, 1])
        return (m, outliers)
    }

    // MARK: errors

    /// PRE3D: distance between each middle point mapped through `imageToProbe` and its phantom-derived position.
    func errors3D(_ imageToProbe: Transform3D, _ p: Prepared) -> [Double] {
        var e: [Double] = []
        for f in 0..<p.imagePoints.count {
            for k in 0..<phantom.patterns.count {
                let q = p.imagePoints[f][3 * k + 1]
                e.append((imageToProbe.apply(SIMD3(q.x, q.y, 0)) - p.middleInProbe[f][k]).length)
            }
        }
        return e
    }

    func errorStatistics(_ imageToProbe: Transform3D, _ p: Prepared) -> NWireErrorStatistics {
        let e = errors3D(imageToProbe, p)
        let s = NWireMath.percentileStatistics(e, fraction: errorConfidenceLevel)
        return NWireErrorStatistics(mean: s.mean, standardDeviation: s.stdDev, maximum: s.max, count: e.count)
    }

    /// In-plane errors per wire: segmented point minus the wire's intersection with the image plane.
    func inPlaneErrors(_ imageToProbe: Transform3D, _ p: Prepared) -> [NWireWireError] {
        let wires = phantom.patterns.flatMap(\.wires)
        var samples = [[SIMD2<Double>]](repeating: [], count: wires.count)
        guard let probeToImage = imageToProbe.inverse else { return [] }
        for f in 0..<p.imagePoints.count {
            guard let phantomToProbe = p.probeToPhantom[f].inverse else { continue }
            let phantomToImage = probeToImage * phantomToProbe
            for (w, wire) in wires.enumerated() {
                let a = phantomToImage.apply(wire.front), b = phantomToImage.apply(wire.back)
                guard abs(b.z - a.z) > 1e-12 else { continue }
                let t = -a.z / (b.z - a.z)
                let hit = a + t * (b - a)
                samples[w].append(p.imagePoints[f][w] - SIMD2(hit.x, hit.y))
            }
        }
        return zip(wires, samples).map { wire, s in
            let n = Double(max(s.count, 1))
            let mean = s.reduce(SIMD2<Double>.zero, +) / n
            let v = s.reduce(SIMD2<Double>.zero) { $0 + ($1 - mean) * ($1 - mean) } / n
            return NWireWireError(wireName: wire.name, mean: mean, standardDeviation: SIMD2(v.x.squareRoot(), v.y.squareRoot()))
        }
    }
}
