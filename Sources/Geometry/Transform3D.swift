/// A rigid or affine 4x4 homogeneous transform, stored row-major, lengths in millimetres.
///
/// Follows the PLUS convention: a transform named `AToB` maps point coordinates given in
/// frame `A` to frame `B`, so `BToC * AToB == AToC`.
public struct Transform3D: Sendable, Hashable, CustomStringConvertible {
    /// The 16 elements, row-major: `elements[row * 4 + column]`.
    public var elements: [Double]

    /// Creates a transform from 16 row-major elements (the order PLUS sequence files use).
    public init(rowMajor elements: [Double]) {
        precondition(elements.count == 16, "a 4x4 transform needs 16 elements, got \(elements.count)")
        self.elements = elements
    }

    /// Creates a transform from a 3x3 linear part (row-major) and a translation.
    public init(linear: [Double], translation: SIMD3<Double>) {
        precondition(linear.count == 9)
        elements = [linear[0], linear[1], linear[2], translation.x,
                    linear[3], linear[4], linear[5], translation.y,
                    linear[6], linear[7], linear[8], translation.z,
                    0, 0, 0, 1]
    }

    /// The identity transform.
    public static let identity = Transform3D(rowMajor: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])

    /// A pure translation.
    public static func translation(_ t: SIMD3<Double>) -> Transform3D {
        Transform3D(rowMajor: [1, 0, 0, t.x, 0, 1, 0, t.y, 0, 0, 1, t.z, 0, 0, 0, 1])
    }

    /// A pure (anisotropic) scaling.
    public static func scaling(_ s: SIMD3<Double>) -> Transform3D {
        Transform3D(rowMajor: [s.x, 0, 0, 0, 0, s.y, 0, 0, 0, 0, s.z, 0, 0, 0, 0, 1])
    }

    /// A rotation of `angle` radians about the unit `axis` (right-handed).
    public static func rotation(axis: SIMD3<Double>, angle: Double) -> Transform3D {
        let n = (axis * axis).sum().squareRoot()
        let a = axis / n
        let c = _cos(angle), s = _sin(angle), t = 1 - c
        return Transform3D(linear: [
            t * a.x * a.x + c, t * a.x * a.y - s * a.z, t * a.x * a.z + s * a.y,
            t * a.x * a.y + s * a.z, t * a.y * a.y + c, t * a.y * a.z - s * a.x,
            t * a.x * a.z - s * a.y, t * a.y * a.z + s * a.x, t * a.z * a.z + c,
        ], translation: .zero)
    }

    /// Element at `row`, `column` (0-based).
    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * 4 + column] }
        set { elements[row * 4 + column] = newValue }
    }

    /// The translation column.
    public var translation: SIMD3<Double> {
        get { SIMD3(elements[3], elements[7], elements[11]) }
        set { elements[3] = newValue.x; elements[7] = newValue.y; elements[11] = newValue.z }
    }

    /// Column `c` of the upper 3x3 part.
    public func column(_ c: Int) -> SIMD3<Double> {
        SIMD3(elements[c], elements[4 + c], elements[8 + c])
    }

    /// The matrix product `self * other` (apply `other` first), summed in VTK's order
    /// (`vtkMatrix4x4::Multiply4x4`: a[i0] b[0j] + a[i1] b[1j] + a[i2] b[2j] + a[i3] b[3j]), so
    /// chains PLUS/IGSIO compose with VTK have the same bits here.
    public static func * (lhs: Transform3D, rhs: Transform3D) -> Transform3D {
        let a = lhs.elements, b = rhs.elements
        var r = [Double](repeating: 0, count: 16)
        for i in stride(from: 0, to: 16, by: 4) {
            for j in 0..<4 {
                r[i + j] = a[i] * b[j] + a[i + 1] * b[j + 4] + a[i + 2] * b[j + 8] + a[i + 3] * b[j + 12]
            }
        }
        return Transform3D(rowMajor: r)
    }

    /// Maps a point (homogeneous w = 1).
    public func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let e = elements
        let x = e[0] * p.x + e[1] * p.y + e[2] * p.z + e[3]
        let y = e[4] * p.x + e[5] * p.y + e[6] * p.z + e[7]
        let z = e[8] * p.x + e[9] * p.y + e[10] * p.z + e[11]
        let w = e[12] * p.x + e[13] * p.y + e[14] * p.z + e[15]
        return w == 1 || w == 0 ? SIMD3(x, y, z) : SIMD3(x, y, z) / w
    }

    /// Maps a direction (homogeneous w = 0).
    public func applyToVector(_ v: SIMD3<Double>) -> SIMD3<Double> {
        let e = elements
        return SIMD3(e[0] * v.x + e[1] * v.y + e[2] * v.z,
                     e[4] * v.x + e[5] * v.y + e[6] * v.z,
                     e[8] * v.x + e[9] * v.y + e[10] * v.z)
    }

    /// The 16 elements as PLUS writes them: row-major, space-separated.
    public var description: String {
        elements.map { formatNumber($0) }.joined(separator: " ")
    }

    /// Largest absolute element difference to `other`.
    public func maxDifference(to other: Transform3D) -> Double {
        zip(elements, other.elements).map { abs($0 - $1) }.max() ?? 0
    }
}

/// Formats a number as PLUS files show it: `%.9g`, integers without a decimal point.
public func formatNumber(_ v: Double) -> String {
    _formatG(v == 0 ? 0 : v, precision: 9)
}
