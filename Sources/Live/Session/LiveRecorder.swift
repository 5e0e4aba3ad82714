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
        public var notice: (@Sendable (String) -> Void)?
        public init(output: String) { self.output = output }
    }

    /// What a finished recording holds.
    public struct Summary: Sendable {
        public var framesWritten = 0
        public var framesWithoutPose = 0
        /// Frames the writer refused (e.g. a different image size than the first frame's).
        public var framesNotWritten = 0
        public var messagesDropped = 0
        public var trackerSamples = 0
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
        let live = livePath
        let writer = try SequenceWriter(path: live, header: [(key: "UltrasoundImageOrientation", value: "MF")],
                                        flushInterval: max(1, options.flushEvery))
        options.notice?("recording to \(live) (+ .raw)")
        let connection = LiveConnection(host: options.host, port: options.port, reconnect: options.reconnect,
                                        idleTimeout: options.idleTimeout, queueCapacity: options.queueCapacity,
                                        notice: options.notice)
        var pairer = FramePairer(configuration: options.pairing)
        var summary = Summary(path: live)
        var imagesReceived = 0

        func write(_ frames: [PairedFrame]) {
            for f in frames {
                var frame = f.trackedFrame
                frame.fields["FrameNumber"] = String(summary.framesWritten)
                if f.imageToReference == nil { summary.framesWithoutPose += 1 }
                do {
                    try writer.append(frame)
                    summary.framesWritten += 1
                } catch {
                    if summary.framesNotWritten == 0 { options.notice?("frame not recorded: \(error)") }
                    summary.framesNotWritten += 1
                }
            }
            let n = summary.framesWritten
            progress.withLock { $0 = n }
        }

        loop: while let batch = await connection.next() {
            let feed = connection.feed(batch, to: &pairer) { _, _ in imagesReceived += 1 }
            if feed.ended { stop() }
            let now = MonotonicClock.nanoseconds
            write(feed.frames)
            if stopFlag.withLock({ $0 }) { break loop }
            if let d = options.duration, Double(now - start) / 1e9 >= d { break loop }
            if let n = options.maxFrames, imagesReceived >= n, pairer.pendingCount == 0 { break loop }
        }
        await connection.close()
        write(pairer.flush())
        try writer.close()
        summary.messagesDropped = connection.droppedCount
        summary.trackerSamples = pairer.trackerSampleCount
        summary.seconds = Double(MonotonicClock.nanoseconds - start) / 1e9

        if live != options.output {
            let sequence = try SequenceFile.read(live)
            try SequenceFile.write(sequence, to: options.output)
            try? FileManager.default.removeItem(atPath: writer.dataPath)
            try? FileManager.default.removeItem(atPath: live)
            summary.path = options.output
        }
        return summary
    }
}
