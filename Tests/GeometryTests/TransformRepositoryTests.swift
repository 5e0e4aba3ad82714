import Testing
@testable import Geometry

@Suite struct TransformNameTests {
    @Test func parsesPlusNames() {
        #expect(TransformName("ImageToProbe") == TransformName(from: "Image", to: "Probe"))
        #expect(TransformName("ProbeToTrackerTransform") == TransformName(from: "Probe", to: "Tracker"))
        #expect(TransformName("StylusTipToStylus") == TransformName(from: "StylusTip", to: "Stylus"))
        #expect(TransformName("Tomato") == nil)
        #expect(TransformName(from: "A", to: "B").description == "AToB")
    }
}

@Suite struct Transform3DTests {
    @Test func inverseOfRigidTransform() throws {
        let t = Transform3D.translation(SIMD3(10, -4, 2)) * Transform3D.rotation(axis: SIMD3(1, 2, 3), angle: 0.7)
        let inv = try #require(t.inverse)
        #expect((t * inv).maxDifference(to: .identity) < 1e-12)
        let p = SIMD3<Double>(1, 2, 3)
        let q = inv.apply(t.apply(p))
        #expect(((q - p) * (q - p)).sum() < 1e-20)
    }

    @Test func singularHasNoInverse() {
        #expect(Transform3D.scaling(SIMD3(1, 0, 1)).inverse == nil)
    }
}

@Suite struct TransformRepositoryTests {
    @Test func chainsAndInverts() throws {
        var repo = TransformRepository()
        let imageToProbe = Transform3D.scaling(SIMD3(0.2, 0.2, 0.2)) 
        let probeToTracker = Transform3D.translation(SIMD3(100, 0, 0)) * .rotation(axis: SIMD3(0, 0, 1), angle: 0.3)
        let referenceToTracker = Transform3D.translation(SIMD3(0, 50, 0))
        repo.set(TransformName("ImageToProbe")!, imageToProbe, persistent: true)
        repo.set(TransformName("ProbeToTracker")!, probeToTracker)
        repo.set(TransformName("ReferenceToTracker")!, referenceToTracker, status: .invalid)
        let r = try repo.transform(TransformName("ImageToReference")!)
        let expected = referenceToTracker.inverse! * probeToTracker * imageToProbe
        #expect(r.matrix.maxDifference(to: expected) < 1e-12)
        #expect(r.status == .invalid)
        #expect(r.path == ["Image", "Probe", "Tracker", "Reference"])
        let ok = try repo.transform(TransformName("ImageToTracker")!)
        #expect(ok.status == .ok)
    }

    @Test func reportsMissingPath() {
        var repo = TransformRepository()
        repo.set(TransformName("AToB")!, .identity)
        #expect(throws: TransformRepository.Failure.self) { try repo.transform(TransformName("AToC")!) }
    }
}
