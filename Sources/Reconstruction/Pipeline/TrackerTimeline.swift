import Geometry
import Recordings

/// The poses of a separate tracker recording, looked up at the times of a video recording's
/// frames, as PLUS's tools pair a `--video-file` with a `--tracker-file` (PlusLibData's
/// Prostate10 is such a pair).
///
/// A video frame at time `t` (its own clock) gets the tracker's poses at `t + offset` (tracker
/// clock), interpolated between the two tracker samples around that time with
/// `PoseInterpolation`, the interpolation the live path uses (rotation slerp, translation
/// linear). A pose is INVALID at that time when either sample is not OK, when the samples are
/// more than `maximumGap` apart, or when the time lies outside the tracker recording.
public struct TrackerTimeline: Sendable {
    /// One tracker sample.
    public struct Sample: Sendable {
        public var time: Double
        public var transforms: [TransformName: TrackedTransform]
    }

    /// The usable samples, by increasing time.
    public private(set) var samples: [Sample] = []
    /// Seconds added to a video timestamp to get the tracker time it corresponds to (the video
    /// device's `LocalTimeOffsetSec` minus the tracker's).
    public var offset: Double
    /// Two samples further apart than this (seconds) are not interpolated between.
    public var maximumGap = 1.0
    /// Tracker samples left out: timestamp not a number, out of order, or repeating the
    /// previous sample's time (the first one is kept).
    public private(set) var samplesLeftOut = TimestampReport()

    /// Takes the samples of `tracker` (a tracker-only or combined recording); samples whose
    /// timestamps are unreadable, repeated or out of order are left out and counted.
    public init(tracker: TrackedSequence, offset: Double) throws(ReconstructionError) {
        guard offset.isFinite, abs(offset) <= 3600 else {
            throw .invalidAttribute(name: "tracker time offset", value: String(offset), reason: "must be a number of seconds between -3600 and 3600")
        }
        self.offset = offset
        var report = TimestampReport()
        var previous: Double?
        for frame in tracker.frames {
            report.add(frame)
            guard !frame.problems.contains(where: \.isTimestamp) else { continue }
            if let previous, frame.timestamp <= previous { continue }
            samples.append(Sample(time: frame.timestamp, transforms: frame.transforms))
            previous = frame.timestamp
        }
        samplesLeftOut = report
        guard samples.count >= 2 else {
            throw .emptyResult("the tracker recording holds \(samples.count) usable pose sample(s); at least two are needed to interpolate")
        }
    }

    /// `frame` with the tracker's transforms at its time, replacing any transform of the same
    /// name it carries; a transform that cannot be had at that time is INVALID, with the reason
    /// among the frame's problems.
    public func pair(_ frame: TrackedFrame) -> TrackedFrame {
        var f = frame
        let names = Set(samples[0].transforms.keys).union(samples[samples.count - 1].transforms.keys)
        func invalid(_ reason: String) -> TrackedFrame {
            for name in names {
                f.transforms[name] = TrackedTransform(matrix: .identity, status: .invalid)
            }
            f.problems.append(.trackerPoseUnavailable(reason: reason))
            return f
        }
        guard !frame.problems.contains(where: \.isTimestamp) else { return invalid("the frame has no usable Timestamp") }
        let t = frame.timestamp + offset
        guard let first = samples.first, let last = samples.last, t >= first.time, t <= last.time else {
            return invalid("no tracker pose at time \(t) s (the tracker recording covers \(samples[0].time) to \(samples[samples.count - 1].time) s)")
        }
        // The last sample at or before t.
        var lo = 0, hi = samples.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if samples[mid].time <= t { lo = mid } else { hi = mid - 1 }
        }
        let a = samples[lo]
        if a.time == t || lo == samples.count - 1 {
            for (name, transform) in a.transforms { f.transforms[name] = transform }
            return f
        }
        let b = samples[lo + 1]
        guard b.time - a.time <= maximumGap else {
            return invalid("the tracker samples around \(t) s are \(b.time - a.time) s apart (more than \(maximumGap) s)")
        }
        for name in Set(a.transforms.keys).union(b.transforms.keys) {
            guard let ta = a.transforms[name], let tb = b.transforms[name], ta.status == .ok, tb.status == .ok else {
                f.transforms[name] = TrackedTransform(matrix: .identity, status: .invalid)
                continue
            }
            switch PoseInterpolation.interpolate(TimedPose(time: a.time, matrix: ta.matrix), TimedPose(time: b.time, matrix: tb.matrix), at: t) {
            case let .success(m): f.transforms[name] = TrackedTransform(matrix: m, status: .ok)
            case let .failure(rejection):
                f.transforms[name] = TrackedTransform(matrix: .identity, status: .invalid)
                f.problems.append(.trackerPoseUnavailable(reason: "\(name) cannot be interpolated at \(t) s: \(rejection)"))
            }
        }
        return f
    }
}

extension TrackerTimeline {
    /// The poses of the tracker recording at `path` (only its header is read: no pixels), for a
    /// video device with time offset `video` and a tracker with offset `tracker` (their
    /// `LocalTimeOffsetSec`, seconds added to each device's timestamps).
    public static func load(path: String, video: Double, tracker: Double) throws -> TrackerTimeline {
        let reader = try SequenceReader(path: path)
        var sequence = TrackedSequence()
        for i in 0..<reader.frameCount { sequence.frames.append(try reader.metadata(ofFrame: i)) }
        return try TrackerTimeline(tracker: sequence, offset: video - tracker)
    }
}
