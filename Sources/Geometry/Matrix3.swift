/// A 3x3 matrix stored as three rows, for the small linear algebra of pose decomposition.
struct Matrix3: Sendable, Hashable {
    var rows: (SIMD3<Double>, SIMD3<Double>, SIMD3<Double>)

    init(_ r0: SIMD3<Double>, _ r1: SIMD3<Double>, _ r2: SIMD3<Double>) { rows = (r0, r1, r2) }

    /// The upper-left 3x3 block of `t`.
    init(linearPartOf t: Transform3D) {
        self.init(SIMD3(t[0, 0], t[0, 1], t[0, 2]), SIMD3(t[1, 0], t[1, 1], t[1, 2]), SIMD3(t[2, 0], t[2, 1], t[2, 2]))
    }

    static let identity = Matrix3(SIMD3(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1))

    static func == (a: Matrix3, b: Matrix3) -> Bool { a.rows.0 == b.rows.0 && a.rows.1 == b.rows.1 && a.rows.2 == b.rows.2 }
    func hash(into h: inout Hasher) { h.combine(rows.0); h.combine(rows.1); h.combine(rows.2) }

    /// Row-major elements.
    var elements: [Double] { [rows.0.x, rows.0.y, rows.0.z, rows.1.x, rows.1.y, rows.1.z, rows.2.x, rows.2.y, rows.2.z] }

    var transposed: Matrix3 {
        Matrix3(SIMD3(rows.0.x, rows.1.x, rows.2.x), SIMD3(rows.0.y, rows.1.y, rows.2.y), SIMD3(rows.0.z, rows.1.z, rows.2.z))
    }

    var determinant: Double {
        let (a, b, c) = rows
        return a.x * (b.y * c.z - b.z * c.y) - a.y * (b.x * c.z - b.z * c.x) + a.z * (b.x * c.y - b.y * c.x)
    }

    /// Frobenius norm.
    var norm: Double { ((rows.0 * rows.0).sum() + (rows.1 * rows.1).sum() + (rows.2 * rows.2).sum()).squareRoot() }

    /// The inverse by cofactors (the caller checks the determinant first).
    var inverse: Matrix3 {
        let (a, b, c) = rows
        // Columns of the inverse are the cross products of the rows, divided by the determinant.
        let c0 = b.cross(c), c1 = c.cross(a), c2 = a.cross(b)
        return Matrix3(c0, c1, c2).transposed.scaled(1 / determinant)
    }

    func scaled(_ f: Double) -> Matrix3 { Matrix3(rows.0 * f, rows.1 * f, rows.2 * f) }

    static func + (a: Matrix3, b: Matrix3) -> Matrix3 { Matrix3(a.rows.0 + b.rows.0, a.rows.1 + b.rows.1, a.rows.2 + b.rows.2) }
    static func - (a: Matrix3, b: Matrix3) -> Matrix3 { Matrix3(a.rows.0 - b.rows.0, a.rows.1 - b.rows.1, a.rows.2 - b.rows.2) }

    static func * (a: Matrix3, b: Matrix3) -> Matrix3 {
        let bt = b.transposed
        func row(_ r: SIMD3<Double>) -> SIMD3<Double> { SIMD3((r * bt.rows.0).sum(), (r * bt.rows.1).sum(), (r * bt.rows.2).sum()) }
        return Matrix3(row(a.rows.0), row(a.rows.1), row(a.rows.2))
    }
}
