import Foundation
import Geometry
import IGTLink
import Imaging
import Recordings
import Synchronization

/// `freehand record` as a library: receives a tracked stream and appends every image, with the
/// transforms paired to it, to a PLUS sequence through `SequenceWriter`, which keeps the files
/// on disk a complete, readable sequence after every flush (so a killed process loses at most
/// the frames since the last flush: none with `flushEvery` 1).
///
/// The live files are MetaImage `.mhd` + `.raw`; when the requested output is another format
/// (e.g. `.igs.mha`), it is written from them at a clean stop and the live files are removed.
public final class LiveRecorder: Sendable {
    public struct Options: Sendable {
        public var host = "127.0.0.1"
        public var port = 18944
        public var pairing = FramePairer.Configuration()
        /// The requested output (.mhd, or .igs.mha/.mha/.igs.nrrd/.seq.nrrd converted at the end).
        public var output: String
        /// Rewrite the header after this many frames (1: no frame is ever lost to a kill).
        public var flushEvery = 1
        public var duration: Double?
        public var maxFrames: Int?
        public var reconnect = true
        public var idleTimeout: Duration? = .seconds(5)
        public var queueCapacity = 512
        /// The IMAGE device to record (nil: the first `Image` or `Image_*` device).
        public var imageDevice: String?
        public var notice: (@Sendable (String) -> Void)?
        public init(output: String) { self.output = output }
    }

    /// What a finished recording holds.
    public struct Summary: Sendable {
        public var framesWritten = 0
        public var framesWithoutPose = 0
        /// Frames the writer refused (e.g. a different image size than the first frame's).
        public var framesNotWritten = 0
        /// IMAGEs of other devices than the recorded one.
        public var framesIgnored = 0
        public var trackerSamples = 0
        /// Tracker poses with a NaN or infinite element (recorded with status INVALID).
        public var nonFiniteTrackerSamples = 0
        /// The sequence file(s) left on disk.
        public var path: String
        public var seconds = 0.0
    }

    public let options: Options
    private let stopFlag = Mutex(false)
    private let progress = Mutex(0)

    public init(options: Options) { self.options = options }

    /// The `.mhd` the frames are appended to while recording.
    public var livePath: String { Self.livePath(for: options.output) }

    /// `capture.igs.mha` -> `capture.mhd` (a `.mhd` stays as it is).
    public static func livePath(for output: String) -> String {
        if output.lowercased().hasSuffix(".mhd") { return output }
        return SequenceFile.stem(of: output) + ".mhd"
    }

    /// Frames written so far.
    public var framesWritten: Int { progress.withLock { $0 } }

    /// Asks `run` to finish (clean stop: flush, close, convert).
    public func stop() { stopFlag.withLock { $0 = true } }

    public func run() async throws -> Summary {
        let start = MonotonicClock.nanoseconds
        let capture = try SequenceCapture(output: options.output, flushEvery: options.flushEvery)
        let live = capture.livePath
        options.notice?("recording to \(live) (+ .raw)")
        let connection = LiveConnection(host: options.host, port: options.port, reconnect: options.reconnect,
                                        idleTimeout: options.idleTimeout, queueCapacity: options.queueCapacity)
        var configuration = LiveSession.Configuration()
        configuration.pairing = options.pairing
        configuration.imageDevice = options.imageDevice
        configuration.frameQueueCapacity = nil  // a recording keeps every frame
        configuration.reconnect = options.reconnect
        configuration.duration = options.duration
        configuration.maxFrames = options.maxFrames
        var session = LiveSession(configuration: configuration)
        var summary = Summary(path: live)

        /// Appends delivered frames (those without a pose with ImageToReference INVALID); true once over.
        func perform(_ actions: [LiveSession.Action]) -> Bool {
            var over = false
            for action in actions {
                switch action {
                case .notice(let text): options.notice?(text)
                case .deliver(let frames): write(frames)
                case .finish: over = true
                case .remote: break
                }
            }
            return over
        }
        func write(_ frames: [PairedFrame]) {
            let refusedBefore = capture.framesNotWritten
            capture.append(frames)
            if refusedBefore == 0, capture.framesNotWritten > 0 { options.notice?("frame not recorded: \(capture.firstRefusal ?? "")") }
            summary.framesWritten = capture.framesWritten
            summary.framesWithoutPose = capture.framesWithoutPose
            summary.framesNotWritten = capture.framesNotWritten
            let n = summary.framesWritten
            progress.withLock { $0 = n }
        }

        var over = false
        while !over, let batch = await connection.next() {
            for input in batch { if let event = input.event { session.ingest(event) } }
            if stopFlag.withLock({ $0 }) || Task.isCancelled { session.ingest(.stop) }
            over = perform(session.tick(now: MonotonicClock.nanoseconds))
        }
        await connection.close()
        if !session.isFinished {
            session.ingest(.stop)
            _ = perform(session.tick(now: MonotonicClock.nanoseconds))
        }
        summary.path = try capture.finish()
        summary.framesIgnored = session.counts.ignored
        summary.trackerSamples = session.counts.trackerSamples
        summary.nonFiniteTrackerSamples = session.counts.nonFiniteTrackerSamples
        summary.seconds = Double(MonotonicClock.nanoseconds - start) / 1e9

        return summary
    }
}
