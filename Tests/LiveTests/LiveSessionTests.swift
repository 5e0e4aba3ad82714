import Geometry
import IGTLink
import Imaging
import Testing
@testable import Live

/// `LiveSession` fed events directly: no sockets, no clocks.
@Suite struct LiveSessionTests {
    let t0 = 1_700_000_000.0
    let ms: UInt64 = 1_000_000

    func image(_ device: String, _ t: Double, matrix: Transform3D = .scaling(SIMD3(0.5, 0.5, 1))) -> IGTLMessage {
        let img = IGTLImage(image: Image(width: 4, height: 3, bytes: [UInt8](repeating: 9, count: 12)), imageToReference: matrix)
        return IGTLMessage(deviceName: device, timestamp: IGTLTimestamp(secondsSince1970: t), body: .image(img))
    }

    func transform(_ name: String, _ t: Double, _ m: Transform3D) -> IGTLMessage {
        IGTLMessage(deviceName: name, timestamp: IGTLTimestamp(secondsSince1970: t), body: .transform(m))
    }

    func delivered(_ actions: [LiveSession.Action]) -> [PairedFrame] {
        actions.flatMap { (a: LiveSession.Action) -> [PairedFrame] in
            if case .deliver(let f) = a { return f }
            return []
        }
    }

    func notices(_ actions: [LiveSession.Action]) -> [String] {
        actions.compactMap { (a: LiveSession.Action) -> String? in
            if case .notice(let n) = a { return n }
            return nil
        }
    }

    func session(_ configure: (inout LiveSession.Configuration) -> Void = { _ in }) -> LiveSession {
        var c = LiveSession.Configuration()
        c.pairing.poseSource = .matrix
        configure(&c)
        var s = LiveSession(configuration: c)
        s.ingest(.connection(up: true, "connected"))
        return s
    }

    /// 20 images arrive while compounding was busy: the newest 4 are delivered, 16 dropped, and
    /// received = delivered + dropped + rejected.
    @Test func dropsTheOldestBeyondTheQueueAndCountsExactly() {
        var s = session { $0.frameQueueCapacity = 4 }
        for i in 0..<20 { s.ingest(.message(image("Image_Reference", t0 + Double(i) / 60), receivedAt: UInt64(i) * ms, wall: t0)) }
        s.ingest(.message(image("Image_Reference", t0 + 1, matrix: Transform3D(rowMajor: [Double](repeating: .nan, count: 16))),
                          receivedAt: 21 * ms, wall: t0))
        let frames = delivered(s.tick(now: 22 * ms))
        let posed = frames.filter { $0.imageToReference != nil }
        #expect(posed.map(\.timestamp) == (16..<20).map { t0 + Double($0) / 60 })
        #expect(s.counts.received == 21 && s.counts.delivered == 4 && s.counts.dropped == 16 && s.counts.rejected == 1)
        #expect(s.counts.received == s.counts.delivered + s.counts.dropped + s.counts.rejected)
        #expect(s.lastRejection == .nonFiniteImageMatrix(device: "Image_Reference"))
        // The rejected frame is still delivered (for recording), with ImageToReference INVALID.
        let rejected = frames.filter { $0.imageToReference == nil }
        #expect(rejected.count == 1 && rejected[0].transforms[TransformName(from: "Image", to: "Reference")]?.status == .invalid)
    }

    @Test func losslessNeverDrops() {
        var s = session { $0.frameQueueCapacity = nil }
        for i in 0..<50 { s.ingest(.message(image("Image_Reference", t0 + Double(i) / 60), receivedAt: UInt64(i) * ms, wall: t0)) }
        #expect(delivered(s.tick(now: 60 * ms)).count == 50)
        #expect(s.counts.dropped == 0 && s.counts.delivered == 50)
    }

    /// The first Image_* device is compounded; others are ignored with one notice each.
    @Test func usesOneImageStream() {
        var s = session()
        s.ingest(.message(image("Video", t0), receivedAt: 1, wall: t0))
        s.ingest(.message(image("Image_Reference", t0), receivedAt: 2, wall: t0))
        s.ingest(.message(image("Video", t0 + 0.1), receivedAt: 3, wall: t0))
        s.ingest(.message(image("Image_Probe", t0 + 0.1), receivedAt: 4, wall: t0))
        s.ingest(.message(image("Image_Reference", t0 + 0.1), receivedAt: 5, wall: t0))
        let actions = s.tick(now: 6)
        #expect(delivered(actions).allSatisfy { $0.deviceName == "Image_Reference" } && delivered(actions).count == 2)
        #expect(s.counts.received == 2 && s.counts.ignored == 3)
        let said = notices(actions)
        #expect(said.filter { $0.contains("ignoring IMAGE device Video") }.count == 1)
        #expect(said.contains { $0.contains("ignoring IMAGE device Image_Probe") })
        #expect(said.contains("compounding IMAGE device Image_Reference"))
    }

    @Test func imageDeviceOptionPicksTheStream() {
        var s = session { $0.imageDevice = "Video" }
        s.ingest(.message(image("Image_Reference", t0), receivedAt: 1, wall: t0))
        s.ingest(.message(image("Video", t0), receivedAt: 2, wall: t0))
        #expect(delivered(s.tick(now: 3)).map(\.deviceName) == ["Video"])
        #expect(s.imageDevice == "Video" && s.counts.ignored == 1)
    }

    /// A NaN tracker pose is counted, enters as INVALID, and the image paired with it is
    /// rejected (and recorded INVALID), never compounded with NaN.
    @Test func nonFiniteTrackerPoseRejectsItsFrames() {
        var s = session { c in
            c.pairing.poseSource = .tracker
            c.pairing.calibration.set(TransformName(from: "Image", to: "Probe"), .identity, persistent: true)
        }
        var nan = Transform3D.identity
        nan[0, 3] = .nan
        s.ingest(.message(transform("ProbeToReference", t0, nan), receivedAt: 1, wall: t0))
        s.ingest(.message(image("Image_Image", t0), receivedAt: 2, wall: t0))
        let frames = delivered(s.tick(now: 3))
        #expect(frames.count == 1 && frames[0].imageToReference == nil)
        #expect(frames[0].rejection == .trackerInvalid(TransformName(from: "Probe", to: "Reference")))
        #expect(frames[0].transforms[TransformName(from: "Probe", to: "Reference")]?.status == .invalid)
        #expect(frames[0].transforms.values.allSatisfy { $0.matrix.elements.allSatisfy(\.isFinite) })
        #expect(s.counts.nonFiniteTrackerSamples == 1 && s.counts.rejected == 1)
    }

    /// An IMAGE the decoder refused (e.g. NaN in its matrix) counts as received and rejected.
    @Test func decoderRefusalsAreCounted() {
        var s = session()
        s.ingest(.message(image("Image_Reference", t0), receivedAt: 1, wall: t0))
        s.ingest(.refused(type: "IMAGE", device: "Image_Reference", reason: "NaN in the matrix", receivedAt: 2))
        s.ingest(.refused(type: "TRANSFORM", device: "ProbeToReference", reason: "NaN in the matrix", receivedAt: 3))
        _ = s.tick(now: 4)
        #expect(s.counts.received == 2 && s.counts.delivered == 1 && s.counts.rejected == 1 && s.counts.refusedMessages == 1)
    }

    @Test func reportsStallsAndRecovery() {
        var s = session { $0.stallTime = 1.5 }
        s.ingest(.message(image("Image_Reference", t0), receivedAt: 1_000 * ms, wall: t0))
        _ = s.tick(now: 1_000 * ms)
        #expect(!s.stalled)
        let later = s.tick(now: 2_600 * ms)
        #expect(s.stalled && notices(later).contains { $0.hasPrefix("stalled") })
        #expect(notices(s.tick(now: 3_000 * ms)).isEmpty, "a stall is announced once")
        s.ingest(.message(image("Image_Reference", t0 + 1), receivedAt: 3_100 * ms, wall: t0))
        #expect(!s.stalled && notices(s.tick(now: 3_100 * ms)).contains("stream resumed"))
    }

    @Test func endsAtMaxFramesAndWithoutReconnect() {
        var s = session { $0.maxFrames = 2 }
        s.ingest(.message(image("Image_Reference", t0), receivedAt: 1, wall: t0))
        #expect(!s.tick(now: 2).contains { if case .finish = $0 { true } else { false } })
        s.ingest(.message(image("Image_Reference", t0 + 0.1), receivedAt: 3, wall: t0))
        #expect(s.tick(now: 4).contains { if case .finish = $0 { true } else { false } })
        var once = session { $0.reconnect = false }
        once.ingest(.connection(up: false, "disconnected"))
        #expect(once.isFinished)
    }
}
