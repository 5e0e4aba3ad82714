import Geometry
import Imaging

/// Temporal calibration: how much the tracker stream lags the video stream.
///
/// The probe images a flat, bright surface (the bottom of a water tank) while moving up and
/// down. The video signal is the surface's depth in each frame ([`LineSegmenter`]); the tracker
/// signal is the probe position projected on its principal axis of motion. Both are normalised
/// (zero mean, unit standard deviation over their overlap) and the tracker signal is slid
/// against the video one: a coarse search over ±`maximumLag` in steps of one video frame
/// period, then a fine search of ±3 periods at `samplingResolution`, maximising the negated
/// sum of squared differences. Since the tracker axis sign is arbitrary, both signs are tried
/// and the smaller lag kept — the procedure of PLUS's `vtkPlusTemporalCalibrationAlgo`.
public struct TemporalCalibration: Sendable {
    /// Search settings (PLUS defaults).
    public struct Settings: Sendable, Hashable {
        /// Largest lag searched (s).
        public var maximumLag: Double = 0.5
        /// Fine search step (s).
        public var samplingResolution: Double = 0.001
        /// The tracker signal must swing at least this much (mm).
        public var minimumTrackerPeakToPeak: Double = 8
        /// The video signal must swing at least this much (pixels).
        public var minimumVideoPeakToPeak: Double = 30
        public init() {}
    }

    /// The calibration result.
    public struct Result: Sendable {
        /// Tracker lag relative to video (s): tracker sample at `t + lag` matches the frame at `t`.
        /// PLUS's `TrackerLagSec`.
        public var trackerLag: Double
        /// PLUS's `CalibrationError`: sqrt(SSD) at the best lag in tracker units (mm).
        public var calibrationError: Double
        /// PLUS's `MaxCalibrationError`: largest single-sample difference in mm.
        public var maxCalibrationError: Double
        /// Root-mean-square difference of the aligned normalised signals (unitless, 0 is perfect).
        public var normalizedRMS: Double
        /// The video (fixed) position signal (pixels).
        public var videoSignal: TimeSignal
        /// The tracker (moving) position signal (mm along the principal axis).
        public var trackerSignal: TimeSignal
        /// Alignment metric (negated SSD) over the coarse search, by offset.
        public var coarseMetric: TimeSignal
    }

    /// Why the calibration failed.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case noCommonTimeRange(video: ClosedRange<Double>, tracker: ClosedRange<Double>, maximumLag: Double)
        case tooFewVideoFrames(Int)
        case videoSignalTooFlat(Double, minimum: Double)
        case trackerSignalTooFlat(Double, minimum: Double)
        public var description: String {
            switch self {
            case let .noCommonTimeRange(v, t, lag):
                return "video (\(v.lowerBound)...\(v.upperBound) s) and tracker (\(t.lowerBound)...\(t.upperBound) s) recordings overlap by less than twice the maximum lag (\(lag) s)"
            case let .tooFewVideoFrames(n):
                return "the water-tank bottom line was found in only \(n) video frames; check that the bottom is a bright straight line across the image"
            case let .videoSignalTooFlat(p, m):
                return "the tank bottom moved only \(p) pixels in the video (at least \(m) needed): move the probe up and down more"
            case let .trackerSignalTooFlat(p, m):
                return "the probe moved only \(p) mm along its main axis (at least \(m) needed): move the probe up and down more"
            }
        }
    }

    public var settings: Settings
    public var segmenter: LineSegmenter

    public init(settings: Settings = Settings(), segmenter: LineSegmenter = LineSegmenter()) {
        self.settings = settings
        self.segmenter = segmenter
    }

    /// The tracker position signal: positions projected on their first principal axis.
    /// `poses` are (timestamp, ProbeToReference or nil when not tracked).
    public static func trackerSignal(_ poses: [(timestamp: Double, pose: Transform3D?)], in range: ClosedRange<Double>) -> TimeSignal {
        var times: [Double] = [], points: [SIMD3<Double>] = []
        for (t, pose) in poses where range.contains(t) {
            guard let p = pose else { continue }
            if let last = times.last, t <= last { continue } // duplicate or out-of-order timestamp
            times.append(t); points.append(p.translation)
        }
        guard !points.isEmpty else { return TimeSignal() }
        let mean = points.reduce(SIMD3<Double>.zero, +) / Double(points.count)
        var c = [[Double]](repeating: [0, 0, 0], count: 3)
        for p in points {
            let d = p - mean
            for i in 0..<3 { for j in 0..<3 { c[i][j] += d[i] * d[j] } }
        }
        let axisValues = SymmetricEigen(c).vectors[0]
        let axis = SIMD3(axisValues[0], axisValues[1], axisValues[2])
        return TimeSignal(timestamps: times, values: points.map { $0.dot(axis) })
    }

    /// Calibrates from video frames and tracker poses.
    public func calibrate(video frames: [(timestamp: Double, image: Image)],
                          tracker poses: [(timestamp: Double, pose: Transform3D?)]) throws(Failure) -> Result {
        try calibrate(videoPositions: frames.map { ($0.timestamp, segmenter.signal(in: $0.image)) }, tracker: poses)
    }

    /// Calibrates from per-frame tank-bottom positions (nil where no line was found; see
    /// ``LineSegmenter/signal(in:)``), so a live source need not keep the images.
    public func calibrate(videoPositions frames: [(timestamp: Double, position: Double?)],
                          tracker poses: [(timestamp: Double, pose: Transform3D?)]) throws(Failure) -> Result {
        guard let v0 = frames.first?.timestamp, let v1 = frames.last?.timestamp,
              let t0 = poses.first?.timestamp, let t1 = poses.last?.timestamp else {
            throw .tooFewVideoFrames(0)
        }
        let lo = max(v0, t0), hi = min(v1, t1)
        guard lo + settings.maximumLag < hi - settings.maximumLag else {
            throw .noCommonTimeRange(video: v0...max(v0, v1), tracker: t0...max(t0, t1), maximumLag: settings.maximumLag)
        }
        var times: [Double] = [], values: [Double] = []
        for (t, v) in frames where (lo...hi).contains(t) {
            if let last = times.last, t <= last { continue }
            if let v { times.append(t); values.append(v) }
        }
        let tracker = Self.trackerSignal(poses, in: (lo + settings.maximumLag)...(hi - settings.maximumLag))
        return try calibrate(video: TimeSignal(timestamps: times, values: values), tracker: tracker)
    }

    /// Calibrates from already extracted signals.
    public func calibrate(video: TimeSignal, tracker: TimeSignal) throws(Failure) -> Result {
        guard video.count >= 2 else { throw .tooFewVideoFrames(video.count) }
        guard video.peakToPeak >= settings.minimumVideoPeakToPeak else {
            throw .videoSignalTooFlat(video.peakToPeak, minimum: settings.minimumVideoPeakToPeak)
        }
        guard tracker.count >= 2, tracker.peakToPeak >= settings.minimumTrackerPeakToPeak else {
            throw .trackerSignalTooFlat(tracker.peakToPeak, minimum: settings.minimumTrackerPeakToPeak)
        }
        let period = (video.timestamps[video.count - 1] - video.timestamps[0]) / Double(video.count - 1)
        let step = max(settings.samplingResolution, 1e-4)

        func search(_ moving: TimeSignal) -> (lag: Double, metric: Double, factor: Double, coarse: TimeSignal) {
            let coarse = scan(video: video, moving: moving, from: -settings.maximumLag, to: settings.maximumLag, step: period)
            let fine = scan(video: video, moving: moving, from: coarse.best.offset - 3 * period,
                            to: coarse.best.offset + 3 * period, step: step)
            return (fine.best.offset, fine.best.metric, fine.best.factor, coarse.curve)
        }
        let direct = search(tracker)
        let flippedTracker = TimeSignal(timestamps: tracker.timestamps, values: tracker.values.map { -$0 })
        let flipped = search(flippedTracker)
        let useDirect = abs(direct.lag) < abs(flipped.lag)
        let best = useDirect ? direct : flipped
        let moving = useDirect ? tracker : flippedTracker

        // Maximum error: tracker samples inside the shifted video span, normalised, against the
        // video signal normalised over the same span.
        let lag = best.lag
        let inside = moving.timestamps.indices.filter {
            moving.timestamps[$0] > video.timestamps[0] + lag && moving.timestamps[$0] < video.timestamps[video.count - 1] + lag
        }
        var maxError = 0.0
        if inside.count >= 2 {
            let normMoving = TimeSignal.normalized(inside.map { moving.values[$0] }, over: 0...(inside.count - 1))
            let m = TimeSignal(timestamps: inside.map { moving.timestamps[$0] }, values: normMoving.values)
            let fixed = normalizedVideo(video, offset: lag)
            for (i, t) in video.timestamps.enumerated() {
                let d = m.value(at: t + lag) - fixed[i]
                maxError = max(maxError, d * d)
            }
        }
        return Result(trackerLag: lag,
                      calibrationError: (-best.metric).squareRoot() / best.factor,
                      maxCalibrationError: maxError.squareRoot() / best.factor,
                      normalizedRMS: (-best.metric / Double(video.count)).squareRoot(),
                      videoSignal: video, trackerSignal: tracker, coarseMetric: direct.coarse)
    }

    /// The video signal normalised over the frames whose times, shifted by `offset`, stay within
    /// the video's own time span (PLUS's choice of overlap window).
    func normalizedVideo(_ video: TimeSignal, offset: Double) -> [Double] {
        let ts = video.timestamps
        let start = ts.firstIndex { $0 >= ts[0] + offset } ?? 0
        var stop = ts.count - 1
        if let s = ts.lastIndex(where: { $0 <= ts[ts.count - 1] + offset }), s > 0 { stop = s }
        return TimeSignal.normalized(video.values, over: min(start, stop)...stop).values
    }

    /// Evaluates the alignment metric for offsets `from...to` by `step`.
    func scan(video: TimeSignal, moving: TimeSignal, from: Double, to: Double, step: Double)
        -> (best: (offset: Double, metric: Double, factor: Double), curve: TimeSignal) {
        var offsets: [Double] = [], metrics: [Double] = []
        var best = (offset: from, metric: -Double.infinity, factor: 1.0)
        var resampled = [Double](repeating: 0, count: video.count)
        // Accumulate the offset as PLUS does, so the visited offsets match.
        var offset = from
        while offset <= to {
            let fixed = normalizedVideo(video, offset: offset)
            for (i, t) in video.timestamps.enumerated() { resampled[i] = moving.value(at: t + offset) }
            let norm = TimeSignal.normalized(resampled, over: 0...(resampled.count - 1))
            var ssd = 0.0
            for i in 0..<fixed.count { let d = fixed[i] - norm.values[i]; ssd += d * d }
            let metric = -ssd
            offsets.append(offset); metrics.append(metric)
            if metric > best.metric { best = (offset, metric, norm.factor) }
            offset += step
        }
        return (best, TimeSignal(timestamps: offsets, values: metrics))
    }
}
