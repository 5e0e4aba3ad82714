/// The 4x4 inverse with VTK's arithmetic (`vtkMatrix4x4::Invert`: the adjoint divided by the
/// determinant, both from 3x3 minors expanded along the first row, Graphics Gems' order), so a
/// transform Freehand inverts has the same bits as the one PLUS/IGSIO inverts with VTK: IGSIO's
/// transform repository inverts stored transforms (e.g. ReferenceToTracker) this way, and
/// vtkIGSIOPasteSliceIntoVolume inverts the output grid's index-to-physical matrix this way.
extension Transform3D {
    /// The inverse, or `nil` when the determinant is zero (where VTK leaves the matrix as it is)
    /// or the result is not finite.
    public var inverse: Transform3D? {
        let e = elements
        // VTK's names: letters are columns, digits are rows (a1 = element [0][0], b1 = [0][1] ...).
        let a1 = e[0], b1 = e[1], c1 = e[2], d1 = e[3]
        let a2 = e[4], b2 = e[5], c2 = e[6], d2 = e[7]
        let a3 = e[8], b3 = e[9], c3 = e[10], d3 = e[11]
        let a4 = e[12], b4 = e[13], c4 = e[14], d4 = e[15]
        let det = a1 * Self.det3(b2, b3, b4, c2, c3, c4, d2, d3, d4)
            - b1 * Self.det3(a2, a3, a4, c2, c3, c4, d2, d3, d4)
            + c1 * Self.det3(a2, a3, a4, b2, b3, b4, d2, d3, d4)
            - d1 * Self.det3(a2, a3, a4, b2, b3, b4, c2, c3, c4)
        guard det != 0, det.isFinite else { return nil }
        // The adjoint, row and column labels swapped (vtkMatrix4x4::Adjoint), then divided.
        var out = [Double](repeating: 0, count: 16)
        out[0] = Self.det3(b2, b3, b4, c2, c3, c4, d2, d3, d4)
        out[4] = -Self.det3(a2, a3, a4, c2, c3, c4, d2, d3, d4)
        out[8] = Self.det3(a2, a3, a4, b2, b3, b4, d2, d3, d4)
        out[12] = -Self.det3(a2, a3, a4, b2, b3, b4, c2, c3, c4)
        out[1] = -Self.det3(b1, b3, b4, c1, c3, c4, d1, d3, d4)
        out[5] = Self.det3(a1, a3, a4, c1, c3, c4, d1, d3, d4)
        out[9] = -Self.det3(a1, a3, a4, b1, b3, b4, d1, d3, d4)
        out[13] = Self.det3(a1, a3, a4, b1, b3, b4, c1, c3, c4)
        out[2] = Self.det3(b1, b2, b4, c1, c2, c4, d1, d2, d4)
        out[6] = -Self.det3(a1, a2, a4, c1, c2, c4, d1, d2, d4)
        out[10] = Self.det3(a1, a2, a4, b1, b2, b4, d1, d2, d4)
        out[14] = -Self.det3(a1, a2, a4, b1, b2, b4, c1, c2, c4)
        out[3] = -Self.det3(b1, b2, b3, c1, c2, c3, d1, d2, d3)
        out[7] = Self.det3(a1, a2, a3, c1, c2, c3, d1, d2, d3)
        out[11] = -Self.det3(a1, a2, a3, b1, b2, b3, d1, d2, d3)
        out[15] = Self.det3(a1, a2, a3, b1, b2, b3, c1, c2, c3)
        for i in 0..<16 { out[i] /= det }
        guard out.allSatisfy(\.isFinite) else { return nil }
        return Transform3D(rowMajor: out)
    }

    /// vtkMath::Determinant3x3 of the columns (a1 a2 a3), (b1 b2 b3), (c1 c2 c3), in its order.
    @inline(__always)
    private static func det3(_ a1: Double, _ a2: Double, _ a3: Double, _ b1: Double, _ b2: Double, _ b3: Double,
                             _ c1: Double, _ c2: Double, _ c3: Double) -> Double {
        a1 * det2(b2, b3, c2, c3) - b1 * det2(a2, a3, c2, c3) + c1 * det2(a2, a3, b2, b3)
    }

    /// vtkMath::Determinant2x2(a, b, c, d) = a * d - b * c.
    @inline(__always)
    private static func det2(_ a: Double, _ b: Double, _ c: Double, _ d: Double) -> Double {
        a * d - b * c
    }
}
