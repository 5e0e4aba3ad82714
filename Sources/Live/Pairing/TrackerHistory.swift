import Geometry

/// The recent samples of one tracked transform (e.g. ProbeToTracker), kept in time order, from
/// which the pose at an image's timestamp is interpolated.
///
/// Interpolation between the two samples around the requested time is Geometry's
/// ``PoseInterpolation``: rotation by quaternion slerp, translation and stretch (pixel spacing,
/// scale, shear) linearly — PLUS's interpolation for rigid poses, and one that keeps the spacing
/// of an ImageToReference stream. A sample with exactly the requested time is returned
/// unchanged, so streams that send transforms with their images' timestamps reproduce the
/// recorded matrices bit for bit.
public struct TrackerHistory: Sendable {
    /// One received pose.
    public struct Sample: Sendable, Hashable {
        /// Seconds (sender clock, or receive time when the sender sent none).
        public var time: Double
        public var matrix: Transform3D
        public var status: TransformStatus
        public init(time: Double, matrix: Transform3D, status: TransformStatus = .ok) {
            self.time = time
            self.matrix = matrix
            self.status = status
        }
    }

    /// The pose found for a time, or why none could be.
    public enum Lookup: Sendable, Equatable {
        /// Interpolated (or exact) pose and its status.
        case pose(Transform3D, TransformStatus)
        /// No sample after the time yet: the caller may wait for one.
        case notYet(latest: Double)
        /// The samples around the time are too far apart (or too far away).
        case gapTooLarge(Double)
        /// Nothing received.
        case empty
        /// The two samples around the time cannot be interpolated (e.g. their pixel spacings differ).
        case rejected(PoseRejection)
    }

    /// Samples older than the newest minus this many seconds are forgotten.
    public var retention: Double
    /// At most this many samples are kept.
    public var capacity: Int
    /// Samples, time ascending.
    public private(set) var samples: [Sample] = []

    /// Largest relative difference of two samples' stretch that is interpolated over.
    public var stretchTolerance: Double

    public init(retention: Double = 10, capacity: Int = 4096, stretchTolerance: Double = PoseInterpolation.defaultStretchTolerance) {
        self.retention = retention
        self.capacity = max(2, capacity)
        self.stretchTolerance = stretchTolerance
    }

    /// Time of the newest sample.
    public var latestTime: Double? { samples.last?.time }

    /// Adds a sample (out-of-order samples are inserted in place; a repeated time replaces).
    public mutating func add(_ s: Sample) {
        if let last = samples.last, s.time < last.time {
            let i = samples.firstIndex { $0.time >= s.time } ?? samples.count
            if i < samples.count && samples[i].time == s.time { samples[i] = s } else { samples.insert(s, at: i) }
        } else if let last = samples.last, s.time == last.time {
            samples[samples.count - 1] = s
        } else {
            samples.append(s)
        }
        let horizon = (samples.last?.time ?? s.time) - retention
        var drop = 0
        while drop < samples.count - 2 && (samples[drop].time < horizon || samples.count - drop > capacity) { drop += 1 }
        if drop > 0 { samples.removeFirst(drop) }
    }

    /// The pose at `time`.
    /// - Parameters:
    ///   - maxGap: the largest interval between the two bracketing samples that is interpolated
    ///     over (seconds); also how far the nearest sample may be when `hold` is set.
    ///   - hold: when no sample follows `time`, use the newest one if it is within `maxGap`
    ///     (used once waiting for a later sample has timed out).
    public func pose(at time: Double, maxGap: Double, hold: Bool = false) -> Lookup {
        guard let last = samples.last else { return .empty }
        // First sample at or after `time`.
        var lo = 0, hi = samples.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if samples[mid].time < time { lo = mid + 1 } else { hi = mid }
        }
        if lo < samples.count && samples[lo].time == time { return .pose(samples[lo].matrix, samples[lo].status) }
        if lo == samples.count {
            guard hold else { return .notYet(latest: last.time) }
            let gap = time - last.time
            return gap <= maxGap ? .pose(last.matrix, last.status) : .gapTooLarge(gap)
        }
        let after = samples[lo]
        guard lo > 0 else {
            let gap = after.time - time
            return gap <= maxGap / 2 ? .pose(after.matrix, after.status) : .gapTooLarge(gap)
        }
        let before = samples[lo - 1]
        let span = after.time - before.time
        guard span <= maxGap else { return .gapTooLarge(span) }
        let status = max(before.status, after.status)
        switch PoseInterpolation.interpolate(TimedPose(time: before.time, matrix: before.matrix),
                                             TimedPose(time: after.time, matrix: after.matrix), at: time,
                                             stretchTolerance: stretchTolerance) {
        case .success(let m): return .pose(m, status)
        case .failure(let why): return .rejected(why)
        }
    }
}
