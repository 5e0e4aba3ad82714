import Geometry
/// Rotation-minimising frames along sampled curve points by the double reflection method
/// (Wang, Jüttler, Zheng, Liu, "Computation of rotation minimizing frames", ACM TOG 27(1), 2008):
/// each frame is carried to the next point by a reflection in the bisector plane of the chord,
/// then a reflection that brings the reflected tangent onto the next tangent. The frames neither
/// twist about the curve nor flip; the error per step is fourth order in the step.
public enum RotationMinimizingFrames {
    /// The reference vectors (unit, normal to each tangent) at `points` with unit `tangents`,
    /// starting from `initial` (made normal to the first tangent).
    public static func referenceVectors(points: [SIMD3<Double>], tangents: [SIMD3<Double>], initial: SIMD3<Double>) -> [SIMD3<Double>] {
        precondition(points.count == tangents.count && !points.isEmpty)
        var r = (initial - initial.dot(tangents[0]) * tangents[0]).normalized
        var out = [r]
        out.reserveCapacity(points.count)
        for i in 0..<(points.count - 1) {
            let v1 = points[i + 1] - points[i]
            let c1 = v1.dot(v1)
            var rL = r, tL = tangents[i]
            if c1 > 0 {
                rL = r - (2 / c1) * v1.dot(r) * v1
                tL = tangents[i] - (2 / c1) * v1.dot(tangents[i]) * v1
            }
            let v2 = tangents[i + 1] - tL
            let c2 = v2.dot(v2)
            var next = c2 > 0 ? rL - (2 / c2) * v2.dot(rL) * v2 : rL
            // Remove rounding drift: keep it unit and normal to the tangent.
            next = (next - next.dot(tangents[i + 1]) * tangents[i + 1]).normalized
            out.append(next)
            r = next
        }
        return out
    }
}
