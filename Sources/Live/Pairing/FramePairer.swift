import Geometry
import IGTLink
import Imaging
import Recordings

/// Pairs incoming IMAGE messages with tracker poses by timestamp, in arrival order.
///
/// An IMAGE named `A_B` (PlusServer's `<Image>_<EmbeddedTransformToFrame>`, e.g.
/// `Image_Reference`) carries the transform AToB in its matrix, pixel spacing included; it is
/// chained with the calibration (e.g. ImageToProbe from the device-set configuration) and with
/// tracker transforms (TRANSFORM, POSITION, TDATA) interpolated at the image's timestamp to
/// give `<A>To<Reference>`. With PlusServer's `Image_Reference` no tracker is needed at all.
///
/// A tracker pose at time t is interpolated between the samples just before and after t, so an
/// image may have to wait for the next tracker sample; it waits at most `maxWait` seconds
/// (then the newest sample is held if within `maxGap`), and images leave in arrival order.
public struct FramePairer: Sendable {
    /// Where an image's pose comes from.
    public enum PoseSource: String, Sendable, CaseIterable {
        /// `A_B` images: embedded transform + calibration + trackers; other names: trackers when a
        /// chain exists, else the image matrix itself as ImageToReference.
        case auto
        /// The image matrix is ImageToReference; trackers are ignored.
        case matrix
        /// Calibration + trackers only; the image matrix is ignored.
        case tracker
    }

    /// Pairing rules.
    public struct Configuration: Sendable {
        /// Calibration transforms (persistent), e.g. ImageToProbe.
        public var calibration = TransformRepository()
        /// The frame images are in when their name carries none (PLUS `ImageCoordinateFrame`).
        public var imageFrame = "Image"
        /// The frame the volume is built in (PLUS `ReferenceCoordinateFrame`).
        public var referenceFrame = "Reference"
        /// Largest interval between two tracker samples interpolated over (s).
        public var maxGap = 0.2
        /// Longest an image waits for the tracker sample that follows it (s, receive clock).
        public var maxWait = 0.25
        /// Images waiting at most; beyond, the oldest is resolved with the newest samples held.
        public var maxPending = 256
        public var poseSource = PoseSource.auto
        /// When set, images are posed by `<poseFrame>To<referenceFrame>` from the trackers alone
        /// (the image matrix and its name are ignored) and frames carry only tracker transforms,
        /// with `imageToReference` nil: for probe calibration, where ImageToProbe is what is
        /// being measured.
        public var poseFrame: String?

        public init() {}
    }

    public let configuration: Configuration
    /// Tracker histories by transform name.
    public private(set) var trackers: [TransformName: TrackerHistory] = [:]
    /// Tracker samples received.
    public private(set) var trackerSampleCount = 0
    private var pending: [Pending] = []
    private var pendingHead = 0

    private struct Pending {
        var image: Image
        var matrix: Transform3D
        var time: Double
        var receivedAt: UInt64
        var deviceName: String
        var imageFrame: String
        var embedded: TransformName?
    }

    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
    }

    /// Images waiting for tracker samples.
    public var pendingCount: Int { pending.count - pendingHead }

    /// Takes one message; returns the frames that became ready (in arrival order).
    /// - Parameters:
    ///   - receivedAt: monotonic receive time (ns), for waiting and latency.
    ///   - wallClock: receive time in seconds since 1970, used when the header has no timestamp.
    public mutating func receive(_ message: IGTLMessage, receivedAt: UInt64, wallClock: Double) -> [PairedFrame] {
        let time = message.seconds(fallback: wallClock)
        switch message.body {
        case .image(let igtl):
            guard let (image, matrix) = try? igtl.image(slice: 0) else { return poll(now: receivedAt) }
            var frame = configuration.imageFrame
            var embedded: TransformName?
            let name = message.deviceName
            if let cut = name.lastIndex(of: "_"), cut != name.startIndex, name.index(after: cut) != name.endIndex {
                frame = String(name[..<cut])
                embedded = TransformName(from: frame, to: String(name[name.index(after: cut)...]))
            }
            pending.append(Pending(image: image, matrix: matrix, time: time, receivedAt: receivedAt, deviceName: name,
                                   imageFrame: frame, embedded: embedded))
        default:
            if configuration.poseSource != .matrix {
                for (name, sample) in message.trackerSamples(time: time) {
                    trackers[name, default: TrackerHistory()].add(sample)
                    trackerSampleCount += 1
                }
            }
        }
        return poll(now: receivedAt)
    }

    /// Resolves images whose wait is over (call regularly, e.g. every 50 ms).
    public mutating func poll(now: UInt64) -> [PairedFrame] {
        var out: [PairedFrame] = []
        while pendingHead < pending.count {
            let p = pending[pendingHead]
            let waited = Double(now &- p.receivedAt) / 1e9
            let force = waited >= configuration.maxWait || pendingCount > configuration.maxPending
            guard let frame = resolve(p, force: force) else { break }
            out.append(frame)
            pendingHead += 1
        }
        if pendingHead > 64 && pendingHead * 2 > pending.count {
            pending.removeFirst(pendingHead)
            pendingHead = 0
        }
        return out
    }

    /// Resolves every waiting image now (end of stream), holding the newest samples.
    public mutating func flush() -> [PairedFrame] {
        var out: [PairedFrame] = []
        while pendingHead < pending.count {
            out.append(resolve(pending[pendingHead], force: true)!)
            pendingHead += 1
        }
        pending.removeAll()
        pendingHead = 0
        return out
    }

    /// The frame for `p`, or nil when it should wait for a later tracker sample.
    private func resolve(_ p: Pending, force: Bool) -> PairedFrame? {
        let posedByTrackers = configuration.poseFrame != nil
        let target = TransformName(from: configuration.poseFrame ?? p.imageFrame, to: configuration.referenceFrame)
        func frame(_ m: Transform3D?, _ why: String?, _ transforms: [TransformName: TrackedTransform]) -> PairedFrame {
            var t = transforms
            if posedByTrackers {
                return PairedFrame(image: p.image, timestamp: p.time, receivedAt: p.receivedAt, deviceName: p.deviceName,
                                   imageToReference: nil, rejection: why, transforms: t)
            }
            if let m { t[TransformName(from: configuration.imageFrame, to: configuration.referenceFrame)] = TrackedTransform(matrix: m, status: .ok) }
            return PairedFrame(image: p.image, timestamp: p.time, receivedAt: p.receivedAt, deviceName: p.deviceName,
                               imageToReference: m, rejection: why, transforms: t)
        }
        if configuration.poseSource == .matrix && !posedByTrackers {
            return frame(p.matrix, nil, [:])
        }
        // Which tracker transforms lie on the chain from the image to the reference?
        var probe = configuration.calibration
        var recorded: [TransformName: TrackedTransform] = [:]
        let useEmbedded = configuration.poseSource == .auto && !posedByTrackers
        if let e = p.embedded, useEmbedded {
            probe.set(e, p.matrix, persistent: true)
            recorded[e] = TrackedTransform(matrix: p.matrix, status: .ok)
        }
        for (name, history) in trackers where history.latestTime != nil {
            probe.set(name, history.samples.last!.matrix)
        }
        let path: [String]
        do {
            path = try probe.transform(target).path
        } catch {
            if useEmbedded && p.embedded == nil { return frame(p.matrix, nil, recorded) }
            if !force { return nil }  // the tracker completing the chain may not have sent yet
            return frame(nil, "\(error)", recorded)
        }
        var needed: Set<TransformName> = []
        for (a, b) in zip(path, path.dropFirst()) {
            let forward = TransformName(from: a, to: b)
            if trackers[forward] != nil { needed.insert(forward) } else if trackers[forward.inverted] != nil { needed.insert(forward.inverted) }
        }
        // Interpolate every tracker at the image time (needed ones decide waiting and validity).
        var repository = configuration.calibration
        if let e = p.embedded, useEmbedded { repository.set(e, p.matrix, persistent: true) }
        var rejection: String?
        for (name, history) in trackers.sorted(by: { $0.key.description < $1.key.description }) {
            let isNeeded = needed.contains(name)
            switch history.pose(at: p.time, maxGap: configuration.maxGap, hold: force || !isNeeded) {
            case .pose(let m, let status):
                recorded[name] = TrackedTransform(matrix: m, status: status)
                if isNeeded {
                    repository.set(name, m, status: status)
                    if status != .ok && rejection == nil { rejection = "\(name) is invalid at the image time" }
                }
            case .notYet:
                return nil  // only for needed trackers before the wait is over
            case .gapTooLarge(let gap):
                recorded[name] = TrackedTransform(matrix: history.samples.last!.matrix, status: .invalid)
                if isNeeded && rejection == nil {
                    rejection = "\(name): nearest tracker samples \(Int((gap * 1000).rounded())) ms apart (limit \(Int(configuration.maxGap * 1000)) ms)"
                }
            case .rejected(let why):
                recorded[name] = TrackedTransform(matrix: history.samples.last!.matrix, status: .invalid)
                if isNeeded && rejection == nil { rejection = "\(name): \(why)" }
            case .empty:
                break
            }
        }
        if let rejection { return frame(nil, rejection, recorded) }
        guard let result = try? repository.transform(target), result.status == .ok else {
            return frame(nil, "no valid chain \(target)", recorded)
        }
        return frame(result.matrix, nil, recorded)
    }
}
