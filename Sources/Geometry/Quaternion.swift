/// A unit rotation quaternion (x, y, z, w), for interpolating tracker orientations.
public struct Quaternion: Sendable, Hashable {
    public var x: Double, y: Double, z: Double, w: Double

    public init(x: Double, y: Double, z: Double, w: Double) {
        self.x = x; self.y = y; self.z = z; self.w = w
    }

    /// The rotation part of `t` (Shepperd's method; the 3x3 block is assumed close to orthonormal).
    public init(rotationOf t: Transform3D) {
        let m00 = t[0, 0], m01 = t[0, 1], m02 = t[0, 2]
        let m10 = t[1, 0], m11 = t[1, 1], m12 = t[1, 2]
        let m20 = t[2, 0], m21 = t[2, 1], m22 = t[2, 2]
        let trace = m00 + m11 + m22
        if trace > 0 {
            let s = (trace + 1).squareRoot() * 2
            self.init(x: (m21 - m12) / s, y: (m02 - m20) / s, z: (m10 - m01) / s, w: s / 4)
        } else if m00 > m11 && m00 > m22 {
            let s = (1 + m00 - m11 - m22).squareRoot() * 2
            self.init(x: s / 4, y: (m01 + m10) / s, z: (m02 + m20) / s, w: (m21 - m12) / s)
        } else if m11 > m22 {
            let s = (1 + m11 - m00 - m22).squareRoot() * 2
            self.init(x: (m01 + m10) / s, y: s / 4, z: (m12 + m21) / s, w: (m02 - m20) / s)
        } else {
            let s = (1 + m22 - m00 - m11).squareRoot() * 2
            self.init(x: (m02 + m20) / s, y: (m12 + m21) / s, z: s / 4, w: (m10 - m01) / s)
        }
        self = normalized
    }

    /// The same rotation with unit length.
    public var normalized: Quaternion {
        let n = (x * x + y * y + z * z + w * w).squareRoot()
        return n > 0 ? Quaternion(x: x / n, y: y / n, z: z / n, w: w / n) : Quaternion(x: 0, y: 0, z: 0, w: 1)
    }

    /// Spherical linear interpolation from `a` (f = 0) to `b` (f = 1) along the shorter arc.
    public static func slerp(_ a: Quaternion, _ b: Quaternion, _ f: Double) -> Quaternion {
        var b = b
        var dot = a.x * b.x + a.y * b.y + a.z * b.z + a.w * b.w
        if dot < 0 { b = Quaternion(x: -b.x, y: -b.y, z: -b.z, w: -b.w); dot = -dot }
        let wa: Double, wb: Double
        if dot > 0.9995 {
            wa = 1 - f; wb = f  // nearly parallel: linear, then normalised
        } else {
            let theta = _acos(min(1, dot))
            let s = _sin(theta)
            wa = _sin((1 - f) * theta) / s
            wb = _sin(f * theta) / s
        }
        return Quaternion(x: wa * a.x + wb * b.x, y: wa * a.y + wb * b.y, z: wa * a.z + wb * b.z, w: wa * a.w + wb * b.w).normalized
    }

    /// A rigid transform with this rotation and translation `t`.
    public func transform(translation t: SIMD3<Double>) -> Transform3D {
        let xx = x * x, yy = y * y, zz = z * z, xy = x * y, xz = x * z, yz = y * z, wx = w * x, wy = w * y, wz = w * z
        return Transform3D(linear: [1 - 2 * (yy + zz), 2 * (xy - wz), 2 * (xz + wy),
                                    2 * (xy + wz), 1 - 2 * (xx + zz), 2 * (yz - wx),
                                    2 * (xz - wy), 2 * (yz + wx), 1 - 2 * (xx + yy)], translation: t)
    }
}
