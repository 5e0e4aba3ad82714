import Testing
@testable import Imaging

@Suite struct VolumeProjectionTests {
    @Test func projectsMaximumAlongEachAxis() {
        var v = Volume<UInt8>(geometry: VolumeGeometry(dimensions: SIMD3(4, 3, 2), spacing: SIMD3(1, 1, 1), origin: .zero))
        v[1, 2, 1] = 100
        v[3, 0, 0] = 50
        let z = v.maximumIntensityProjection(axis: 2)
        #expect(z.width == 4 && z.height == 3)
        #expect(z[1, 2] == 255)
        #expect(z[3, 0] == 128)  // 50 * 255 / 100 = 127.5, rounded
        let y = v.maximumIntensityProjection(axis: 1)
        #expect(y.width == 4 && y.height == 2)
        #expect(y[1, 1] == 255 && y[3, 0] == 128)
        let x = v.maximumIntensityProjection(axis: 0)
        #expect(x.width == 3 && x.height == 2)
        #expect(x[2, 1] == 255 && x[0, 0] == 128)
    }
}

@Suite struct ImageMontageTests {
    @Test func enlargesAndPlacesSideBySide() {
        var a = Image(width: 2, height: 1)
        a[1, 0] = 9
        let big = a.enlarged(by: 2)
        #expect(big.width == 4 && big.height == 2)
        #expect(big[2, 1] == 9 && big[3, 0] == 9 && big[1, 1] == 0)
        let m = Image.montage([a, big], gap: 1)
        #expect(m.width == 2 + 1 + 4 && m.height == 2)
        #expect(m[1, 0] == 9 && m[1, 1] == 0 && m[5, 1] == 9)
    }
}
