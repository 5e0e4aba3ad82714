import Geometry
import IGTLink
import Imaging
import Reconstruction
import Testing
@testable import Live

@Suite struct LivePairingTests {
    let probe = TransformName(from: "Probe", to: "Tracker")

    @Test func exactTimeReturnsTheSampleUnchanged() {
        var h = TrackerHistory()
        let a = Transform3D.rotation(axis: SIMD3(0.3, 0.4, 0.5), angle: 0.7) * Transform3D.translation(SIMD3(1, 2, 3))
        h.add(.init(time: 1.0, matrix: a))
        h.add(.init(time: 1.1, matrix: .identity))
        #expect(h.pose(at: 1.0, maxGap: 0.2) == .pose(a, .ok))
    }

    @Test func interpolatesTranslationLinearlyAndRotationBySlerp() throws {
        var h = TrackerHistory()
        h.add(.init(time: 0, matrix: Transform3D.translation(SIMD3(0, 0, 0))))
        h.add(.init(time: 0.1, matrix: Transform3D.translation(SIMD3(10, 0, 0)) * Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: .pi / 2)))
        guard case .pose(let m, .ok) = h.pose(at: 0.025, maxGap: 0.2) else { Issue.record("no pose"); return }
        let expected = Transform3D.translation(SIMD3(2.5, 0, 0)) * Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: .pi / 8)
        #expect(m.maxDifference(to: expected) < 1e-12)
    }

    /// An ImageToReference stream that carries anisotropic pixel spacing keeps it when
    /// interpolated 1 ms off a sample (the rotation-only slerp used to drop it).
    @Test func interpolationKeepsPixelSpacing() throws {
        var h = TrackerHistory()
        let spacing = Transform3D.scaling(SIMD3(0.1, 0.2, 1))
        let a = Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: 0.1) * spacing
        let b = Transform3D.translation(SIMD3(0.6, 0, 0)) * Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: 0.1) * spacing
        h.add(.init(time: 0, matrix: a))
        h.add(.init(time: 0.0166, matrix: b))
        guard case .pose(let m, .ok) = h.pose(at: 0.001, maxGap: 0.2) else { Issue.record("no pose"); return }
        let expected = Transform3D.translation(SIMD3(0.6 / 16.6, 0, 0)) * a
        #expect(m.maxDifference(to: expected) < 1e-12)
    }

    @Test func refusesToInterpolateAcrossASpacingChange() {
        var h = TrackerHistory()
        h.add(.init(time: 0, matrix: .scaling(SIMD3(0.1, 0.1, 1))))
        h.add(.init(time: 0.01, matrix: .scaling(SIMD3(0.2, 0.2, 1))))
        guard case .rejected(.stretchMismatch) = h.pose(at: 0.005, maxGap: 0.2) else { Issue.record("interpolated across a spacing change"); return }
    }

    @Test func rejectsLargeGapsAndWaitsForLaterSamples() {
        var h = TrackerHistory()
        h.add(.init(time: 0, matrix: .identity))
        h.add(.init(time: 0.5, matrix: .identity))
        #expect(h.pose(at: 0.25, maxGap: 0.2) == .gapTooLarge(0.5))
        #expect(h.pose(at: 0.6, maxGap: 0.2) == .notYet(latest: 0.5))
        #expect(h.pose(at: 0.6, maxGap: 0.2, hold: true) == .pose(.identity, .ok))
        guard case .gapTooLarge = h.pose(at: 0.9, maxGap: 0.2, hold: true) else { Issue.record("held a pose 0.4 s old"); return }
    }

    @Test func quaternionRoundTrip() {
        for angle in [0.0, 0.5, 2.0, 3.1, Double.pi] {
            let r = Transform3D.rotation(axis: SIMD3(1, -2, 0.5), angle: angle)
            let back = Quaternion(rotationOf: r).transform(translation: .zero)
            #expect(back.maxDifference(to: r) < 1e-12, "angle \(angle)")
        }
    }

    /// An `Image_Probe` image waits for the ProbeToTracker sample after it, then is placed by
    /// inv(ReferenceToTracker) * ProbeToTracker(interpolated) * ImageToProbe(embedded).
    @Test func chainsEmbeddedTransformWithInterpolatedTrackers() throws {
        var pairer = FramePairer()
        let image = Image(width: 4, height: 3, bytes: [UInt8](repeating: 7, count: 12))
        let imageToProbe = Transform3D.scaling(SIMD3(0.5, 0.5, 0.5))
        let referenceToTracker = Transform3D.translation(SIMD3(100, 0, 0))
        func msg(_ name: String, _ t: Double, _ body: IGTLBody) -> IGTLMessage {
            IGTLMessage(deviceName: name, timestamp: IGTLTimestamp(secondsSince1970: t), body: body)
        }
        let t0 = 1_700_000_000.0
        _ = pairer.receive(msg("ReferenceToTracker", t0, .transform(referenceToTracker)), receivedAt: 0, wallClock: t0)
        _ = pairer.receive(msg("ProbeToTracker", t0, .transform(.translation(SIMD3(0, 0, 0)))), receivedAt: 0, wallClock: t0)
        let img = IGTLImage(image: image, imageToReference: imageToProbe)
        let early = pairer.receive(msg("Image_Probe", t0 + 0.05, .image(img)), receivedAt: 1, wallClock: t0)
        #expect(early.isEmpty, "must wait for the tracker sample after the image")
        let still = pairer.receive(msg("ReferenceToTracker", t0 + 0.1, .transform(referenceToTracker)), receivedAt: 2, wallClock: t0)
        #expect(still.isEmpty, "ProbeToTracker has no sample after the image yet")
        let ready = pairer.receive(msg("ProbeToTracker", t0 + 0.1, .transform(.translation(SIMD3(0, 0, 10)))), receivedAt: 2, wallClock: t0)
        try #require(ready.count == 1)
        let m = try #require(ready[0].imageToReference)
        let expected = referenceToTracker.inverse! * Transform3D.translation(SIMD3(0, 0, 5)) * imageToProbe
        #expect(m.maxDifference(to: expected) < 1e-4)  // float32 matrix on the wire
        #expect(ready[0].transforms[TransformName(from: "Image", to: "Reference")] != nil)
    }

    @Test func waitingEndsAfterMaxWait() {
        var config = FramePairer.Configuration()
        config.maxWait = 0.1
        config.calibration.set(TransformName(from: "Image", to: "Probe"), .identity, persistent: true)
        var pairer = FramePairer(configuration: config)
        let t0 = 1_700_000_000.0
        let img = IGTLImage(image: Image(width: 2, height: 2, bytes: [1, 2, 3, 4]), imageToReference: .identity)
        _ = pairer.receive(IGTLMessage(deviceName: "ProbeToReference", timestamp: IGTLTimestamp(secondsSince1970: t0), body: .transform(.identity)),
                           receivedAt: 0, wallClock: t0)
        let none = pairer.receive(IGTLMessage(deviceName: "Image", timestamp: IGTLTimestamp(secondsSince1970: t0 + 0.05), body: .image(img)),
                                  receivedAt: 0, wallClock: t0)
        #expect(none.isEmpty)
        let held = pairer.poll(now: 200_000_000)
        #expect(held.count == 1 && held[0].imageToReference != nil)
    }

    @Test func latencyHistogramPercentiles() {
        var h = LatencyHistogram()
        for i in 1...100 { h.record(Double(i) / 1000) }
        let p50 = h.percentile(0.5)!, p99 = h.percentile(0.99)!
        #expect(abs(p50 - 0.050) / 0.050 < 0.03)
        #expect(abs(p99 - 0.099) / 0.099 < 0.03)
    }

    @Test func inboxDropsOldestWhenFull() async {
        let inbox = LiveInbox<Int>(capacity: 3)
        for i in 0..<5 { inbox.push(i) }
        #expect(inbox.droppedCount == 2)
        #expect(await inbox.next() == [2, 3, 4])
        inbox.close()
        #expect(await inbox.next() == nil)
    }
}

@Suite struct LiveCompounderTests {
    /// Network input is hostile: a frame the reconstructor cannot paste (RGB) is refused and
    /// counted, the grey frames around it are still pasted, and nothing throws.
    @Test func refusesRGBFramesWithoutStopping() throws {
        let grid = VolumeGeometry(dimensions: SIMD3(8, 8, 2), spacing: SIMD3(1, 1, 1), origin: .zero)
        let compounder = try LiveCompounder(settings: ReconstructionSettings(outputSpacing: SIMD3(1, 1, 1)), grid: .fixed(grid))
        let grey = Image(width: 4, height: 4, bytes: [UInt8](repeating: 50, count: 16))
        let rgb = Image(width: 4, height: 4, components: 3, bytes: [UInt8](repeating: 50, count: 48))
        let frames = [grey, rgb, grey].map { PairedFrame(image: $0, timestamp: 0, receivedAt: 0, deviceName: "Image", imageToReference: .identity) }
        #expect(try compounder.add(frames) == 2)
        #expect(compounder.framesRefused == 1)
        #expect(compounder.lastRefusal?.contains("component") == true)
        #expect(compounder.framesCompounded == 2)
    }
}
