import Testing
@testable import Geometry

@Suite struct PoseInterpolationTests {
    let tolerance = 1e-12

    func value(_ r: Result<Transform3D, PoseRejection>) throws -> Transform3D {
        switch r {
        case .success(let m): return m
        case .failure(let e): Issue.record("rejected: \(e)"); throw e
        }
    }

    @Test func pureRotationIsSlerped() throws {
        let b = Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: .pi / 2)
        let m = try value(PoseInterpolation.interpolate(.identity, b, fraction: 0.5))
        #expect(m.maxDifference(to: .rotation(axis: SIMD3(0, 0, 1), angle: .pi / 4)) < tolerance)
    }

    /// A = R K with K an anisotropic 0.1 x 0.2 scale with shear: the decomposition gives an
    /// orthonormal R' and a symmetric S with S² = AᵀA, and recomposes A.
    @Test func decomposesAnisotropicScaleWithShear() throws {
        let a = Transform3D.translation(SIMD3(4, 5, 6)) * Transform3D.rotation(axis: SIMD3(1, 2, 3), angle: 0.9)
            * Transform3D(linear: [0.1, 0.03, 0, 0, 0.2, 0, 0, 0, 1], translation: .zero)
        let d = try PoseDecomposition(a)
        #expect(d.handedness == 1)
        let s = d.stretch
        #expect(abs(s[1] - s[3]) < tolerance && abs(s[2] - s[6]) < tolerance && abs(s[5] - s[7]) < tolerance)
        // S² equals AᵀA.
        let lin = Matrix3(linearPartOf: a)
        let ata = lin.transposed * lin
        let sm = Matrix3(SIMD3(s[0], s[1], s[2]), SIMD3(s[3], s[4], s[5]), SIMD3(s[6], s[7], s[8]))
        #expect(zip((sm * sm).elements, ata.elements).allSatisfy { abs($0 - $1) < tolerance })
        #expect(d.transform.maxDifference(to: a) < tolerance)
    }

    /// Same sheared stretch at both ends, rotations about one axis: slerp is invariant under a
    /// fixed right factor, so the midpoint is R(θ/2) K exactly.
    @Test func keepsShearedStretchWhileRotating() throws {
        let k = Transform3D(linear: [0.1, 0.03, 0, 0, 0.2, 0, 0, 0, 1], translation: .zero)
        let axis = SIMD3<Double>(0.2, -0.5, 1)
        let a = Transform3D.rotation(axis: axis, angle: 0.2) * k
        let b = Transform3D.translation(SIMD3(10, 0, -4)) * Transform3D.rotation(axis: axis, angle: 1.0) * k
        let m = try value(PoseInterpolation.interpolate(TimedPose(time: 2, matrix: a), TimedPose(time: 3, matrix: b), at: 2.5))
        let expected = Transform3D.translation(SIMD3(5, 0, -2)) * Transform3D.rotation(axis: axis, angle: 0.6) * k
        #expect(m.maxDifference(to: expected) < tolerance)
    }

    /// Rotation + translation + anisotropic scale that changes by 0.5 % (inside the 1 % default):
    /// at t = 0.5 the answer is T(mid) R(mid) diag(mean scales).
    @Test func rotationAndScaleAtHalfway() throws {
        let a = Transform3D.translation(SIMD3(0, 0, 0)) * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: 0.1)
            * Transform3D.scaling(SIMD3(0.1, 0.2, 1))
        let b = Transform3D.translation(SIMD3(2, 4, 6)) * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: 0.5)
            * Transform3D.scaling(SIMD3(0.1, 0.205, 1))
        let m = try value(PoseInterpolation.interpolate(TimedPose(time: 0, matrix: a), TimedPose(time: 1, matrix: b), at: 0.5))
        let expected = Transform3D.translation(SIMD3(1, 2, 3)) * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: 0.3)
            * Transform3D.scaling(SIMD3(0.1, 0.2025, 1))
        #expect(m.maxDifference(to: expected) < tolerance)
    }

    @Test func mirroredPosesStayMirrored() throws {
        let mirror = Transform3D.scaling(SIMD3(0.3, -0.3, 1))
        let a = Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: 0.2) * mirror
        let b = Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: 0.6) * mirror
        let m = try value(PoseInterpolation.interpolate(a, b, fraction: 0.25))
        #expect(m.maxDifference(to: Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: 0.3) * mirror) < tolerance)
        #expect(PoseInterpolation.interpolate(a, .identity, fraction: 0.5) == .failure(.handednessMismatch))
    }

    @Test func endpointsAreReturnedUnchanged() throws {
        let a = Transform3D.rotation(axis: SIMD3(1, 1, 0), angle: 0.3) * Transform3D.scaling(SIMD3(0.1, 0.2, 1))
        let b = Transform3D.translation(SIMD3(1, 0, 0)) * a
        #expect(try value(PoseInterpolation.interpolate(a, b, fraction: 0)) == a)
        #expect(try value(PoseInterpolation.interpolate(a, b, fraction: 1)) == b)
    }

    @Test func rejectsWhatCannotBeInterpolated() {
        let spacing1 = Transform3D.scaling(SIMD3(0.1, 0.1, 1)), spacing2 = Transform3D.scaling(SIMD3(0.1, 0.2, 1))
        guard case .failure(.stretchMismatch(let r)) = PoseInterpolation.interpolate(spacing1, spacing2, fraction: 0.5) else {
            Issue.record("a spacing change was interpolated"); return
        }
        // ‖diag(0, 0.1, 0)‖ / ‖diag(0.1, 0.2, 1)‖
        #expect(abs(r - 0.1 / (0.01 + 0.04 + 1.0).squareRoot()) < 1e-12)
        var nan = Transform3D.identity
        nan[1, 2] = .nan
        #expect(PoseInterpolation.interpolate(nan, .identity, fraction: 0.5) == .failure(.nonFinite))
        var inf = Transform3D.identity
        inf[0, 3] = .infinity
        #expect(PoseInterpolation.interpolate(.identity, inf, fraction: 0.5) == .failure(.nonFinite))
        #expect(PoseInterpolation.interpolate(.scaling(SIMD3(1, 1, 0)), .identity, fraction: 0.5) == .failure(.singular))
        var projective = Transform3D.identity
        projective[3, 0] = 0.1
        #expect(PoseInterpolation.interpolate(projective, .identity, fraction: 0.5) == .failure(.notAffine))
        let p = TimedPose(time: 1, matrix: .identity)
        #expect(PoseInterpolation.interpolate(p, p, at: 1) == .failure(.invalidTimes))
        #expect(PoseInterpolation.interpolate(p, TimedPose(time: 2, matrix: .identity), at: 3) == .failure(.invalidTimes))
        #expect(PoseInterpolation.interpolate(p, TimedPose(time: 2, matrix: .identity), at: .nan) == .failure(.invalidTimes))
    }

    @Test func toleranceIsConfigurable() {
        let a = Transform3D.scaling(SIMD3(0.1, 0.1, 1)), b = Transform3D.scaling(SIMD3(0.1, 0.2, 1))
        guard case .success = PoseInterpolation.interpolate(a, b, fraction: 0.5, stretchTolerance: 0.2) else {
            Issue.record("a 10 % change was refused with a 20 % tolerance"); return
        }
    }
}
