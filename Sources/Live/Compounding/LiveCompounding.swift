import Imaging
import Reconstruction

/// The compounding side of `freehand listen`: a `LiveCompounder` plus the latency and rate it
/// achieves, and the status line that joins its counts with the session's.
struct LiveCompounding {
    let compounder: LiveCompounder
    private var latency = LatencyHistogram()
    private var rateWindow: [(UInt64, Int)] = []

    init(compounder: LiveCompounder) {
        self.compounder = compounder
    }

    /// Compounds the posed frames of a delivery (rejected ones were counted by the session) and
    /// records each pasted frame's receive-to-compounded latency.
    mutating func add(_ frames: [PairedFrame]) throws {
        let posed = frames.filter { $0.imageToReference != nil }
        guard !posed.isEmpty else { return }
        let before = compounder.framesCompounded
        try compounder.add(posed)
        let done = MonotonicClock.nanoseconds
        if compounder.framesCompounded > before {
            for f in posed { latency.record(Double(done &- f.receivedAt) / 1e9) }
        }
    }

    /// The status: the session's counts, this side's compounding numbers.
    mutating func status(session: LiveSession, elapsed: Double, now: UInt64) -> LiveStatus {
        var s = LiveStatus()
        let c = session.counts
        s.connected = session.connected
        s.stalled = session.stalled
        s.imageDevice = session.imageDevice
        s.elapsed = elapsed
        s.imagesReceived = c.received
        s.framesCompounded = compounder.framesCompounded
        s.framesDropped = c.dropped
        s.framesRejected = c.rejected + compounder.framesRefused
        s.framesSkipped = compounder.framesSkippedByInterval
        s.framesIgnored = c.ignored
        s.framesPartlyOutsideGrid = compounder.framesPartlyOutside
        s.framesOutsideGrid = compounder.framesOutside
        s.gridFixed = compounder.isGridFixed
        s.gridGrowths = compounder.gridGrowths
        s.gridFrozen = compounder.gridFrozen
        s.framesMissing = session.framesMissing
        s.trackerSamples = c.trackerSamples
        s.nonFiniteTrackerSamples = c.nonFiniteTrackerSamples
        s.lastRejection = compounder.lastRefusal ?? session.lastRejection.map { "\($0)" }
        s.coverage = compounder.coverage
        s.latencyP50 = latency.percentile(0.5)
        s.latencyP99 = latency.percentile(0.99)
        s.latencyMax = latency.maximum
        s.geometry = compounder.geometry
        rateWindow.append((now, compounder.framesCompounded))
        while rateWindow.count > 2, Double(now &- rateWindow[0].0) / 1e9 > 1.0 { rateWindow.removeFirst() }
        if let first = rateWindow.first, now > first.0 {
            s.frameRate = Double(compounder.framesCompounded - first.1) / (Double(now &- first.0) / 1e9)
        }
        return s
    }
}
