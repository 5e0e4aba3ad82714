import Geometry
import Testing

/// `Transform3D.inverse` and `*` against VTK 9.1's `vtkMatrix4x4::Invert` and `Multiply4x4`, bit
/// for bit (signed zeros included): PLUS/IGSIO compose and invert transforms with VTK, and a
/// last-bit difference can move a reconstructed pixel across a voxel plane. Expected bits printed
/// by scripts/igsio-harness/vtk_invert.cxx.
@Suite struct Transform3DVTKTests {
    /// ReferenceToTracker of frame 0 of the 40-frame simulated sweep (see vtk_invert.cxx).
    static let referenceToTracker = Transform3D(rowMajor: [
        0.8357605300175538, -0.491200566887762, -0.24541055306143383, 120.5,
        0.43583894779255544, 0.8652867268683306, -0.2476354011295016, -45.25,
        0.33398914361376436, 0.10000441687561736, 0.9372568316920992, -850, 0, 0, 0, 1,
    ])
    /// An anisotropic grid's index-to-physical matrix.
    static let grid = Transform3D(rowMajor: [
        0.3, 0, 0, -27.667307275838155, 0, 0.7, 0, -1.1418062882384143, 0, 0, 1.1, 1.484568328493351, 0, 0, 0, 1,
    ])

    @Test func inverseHasVTKsBits() throws {
        let rigid = try #require(Self.referenceToTracker.inverse)
        #expect(rigid.elements.map(\.bitPattern) == [
            0x3feabe8cddf6d10f, 0x3fdbe4c90ac5e496, 0x3fd5601400429212, 0x40695ce82a87946a,
            0xbfdf6fd480a3d075, 0x3febb06dca31fee3, 0x3fb999e3b3efb322, 0x4066eb1fecb22037,
            0xbfcf699cedbefe27, 0xbfcfb2844e976e34, 0x3fedfe020a023e9c, 0x4089784738ff1f1f,
            0x8000000000000000, 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000,
        ])
        // 1 / 0.7 by the adjoint formula is 0x...b8, one ulp above the correctly rounded quotient.
        let grid = try #require(Self.grid.inverse)
        #expect(grid.elements.map(\.bitPattern) == [
            0x400aaaaaaaaaaaab, 0x8000000000000000, 0x0000000000000000, 0x40570e5bdfebc1a6,
            0x8000000000000000, 0x3ff6db6db6db6db8, 0x8000000000000000, 0x3ffa1932ac112b3e,
            0x0000000000000000, 0x8000000000000000, 0x3fed1745d1745d18, 0xbff597fe1bd6a333,
            0x8000000000000000, 0x0000000000000000, 0x8000000000000000, 0x3ff0000000000000,
        ])
    }

    @Test func productHasVTKsBits() {
        #expect((Self.grid * Self.referenceToTracker).elements.map(\.bitPattern) == [
            0x3fd00bee1ec74a3c, 0xbfc2dcb2b3957d13, 0xbfb2d8f7c1d8fee3, 0x4020f723803095a4,
            0x3fd3868cbabdb99d, 0x3fe361e673efcc06, 0xbfc630296a36cd25, 0xc040688d1bc39358,
            0x3fd78349337c6d7a, 0x3fbc294745ee11d8, 0x3ff07ee785813c09, 0xc08d2c1f9aa3e38e,
            0x0000000000000000, 0x0000000000000000, 0x0000000000000000, 0x3ff0000000000000,
        ])
    }

    @Test func nonFiniteOrUnderflowingHasNoInverse() {
        #expect(Transform3D.translation(SIMD3(.nan, 0, 0)).inverse == nil)
        #expect(Transform3D.scaling(SIMD3(1e-300, 1e-300, 1)).inverse == nil)
    }
}
