import Geometry
import Imaging

/// A curve resampled at equal arc length with a rotation-minimising slice frame at every sample:
/// the path `freehand reslice --curve` cuts slices along.
public struct CurvePath: Sendable {
    /// One frame every `step` mm, from arc length 0.
    public let frames: [CurveFrame]
    /// The spacing between frames along the curve, mm.
    public let step: Double
    /// The interpolated curve's total length, mm.
    public let length: Double

    /// Resamples the curve through `points` (volume physical frame, mm) every `step` mm.
    /// - Parameters:
    ///   - up: the direction that should point up in the first slice (towards image row 0),
    ///     or nil for the default: the volume's -y axis (anterior for LPS volumes), or its +z
    ///     axis when the curve starts within 25 degrees of y.
    ///   - volume: the volume's grid, for the default `up`.
    ///   - file: names the curve in errors.
    ///   - labels: control point labels, for errors.
    public init(points: [SIMD3<Double>], step: Double, up: SIMD3<Double>?, volume: VolumeGeometry,
                file: String, labels: [String] = []) throws(ResliceError) {
        guard step.isFinite, step > 0 else { throw .invalidOption(name: "step", value: "\(step)", reason: "the step along the curve must be a positive number of mm") }
        guard points.count >= 2 else { throw .tooFewPoints(file: file, count: points.count) }
        let extent = points.map { ($0 - points[0]).length }.max() ?? 0
        for i in 1..<points.count where (points[i] - points[i - 1]).length <= 1e-9 * max(extent, 1) {
            throw .repeatedPoint(file: file, index: i, label: i < labels.count ? labels[i] : "")
        }
        let table = ArcLengthTable(spline: CurveSpline(points: points))
        let total = table.totalLength
        let maximumFrames = 1_000_000
        guard total / step < Double(maximumFrames) else {
            throw .invalidOption(name: "step", value: "\(step)", reason: "gives more than \(maximumFrames) slices along a \(Int(total)) mm curve; use a larger step")
        }
        let count = Int((total / step + 1e-9).rounded(.down)) + 1
        var centres: [SIMD3<Double>] = [], tangents: [SIMD3<Double>] = []
        centres.reserveCapacity(count)
        tangents.reserveCapacity(count)
        for k in 0..<count {
            let (segment, u) = table.parameter(atLength: Double(k) * step)
            centres.append(table.spline.position(segment: segment, u: u))
            tangents.append(table.spline.tangent(segment: segment, u: u))
        }
        let t0 = tangents[0]
        let upVector: SIMD3<Double>
        if let up {
            guard up.x.isFinite, up.y.isFinite, up.z.isFinite, up.length > 0 else {
                throw .invalidOption(name: "up", value: "\(up.x),\(up.y),\(up.z)", reason: "must be a non-zero vector")
            }
            let u = up.normalized
            guard abs(u.dot(t0)) < 0.999 else {
                throw .invalidOption(name: "up", value: "\(up.x),\(up.y),\(up.z)", reason: "is parallel to the curve's start direction; give a direction across the curve")
            }
            upVector = u
        } else {
            let d = volume.direction
            let yAxis = SIMD3(d[1], d[4], d[7]), zAxis = SIMD3(d[2], d[5], d[8])
            upVector = abs(yAxis.normalized.dot(t0)) > 0.9 ? zAxis : -yAxis
        }
        // The image y axis points away from `up`; x = y x tangent so that x, y, tangent is right-handed.
        let y0 = -upVector
        let yAxes = RotationMinimizingFrames.referenceVectors(points: centres, tangents: tangents, initial: y0)
        var frames: [CurveFrame] = []
        frames.reserveCapacity(count)
        for k in 0..<count {
            let x = yAxes[k].cross(tangents[k])
            frames.append(CurveFrame(arcLength: Double(k) * step, centre: centres[k], tangent: tangents[k], xAxis: x, yAxis: yAxes[k]))
        }
        self.frames = frames
        self.step = step
        self.length = total
    }
}
