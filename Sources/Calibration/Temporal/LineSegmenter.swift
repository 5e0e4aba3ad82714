import Imaging

/// Finds a bright straight line (the bottom of a water tank) in a B-mode frame, as PLUS's
/// `vtkPlusLineSegmentationAlgo` does: 40 vertical scan lines across the region, on each the
/// intensity-weighted centre of the largest peak above half the scan line's maximum, then a
/// robust (consensus) line fit through the peaks.
public struct LineSegmenter: Sendable {
    /// A pixel rectangle to search in.
    public struct Rectangle: Sendable, Hashable {
        public var x: Int, y: Int, width: Int, height: Int
        public init(x: Int, y: Int, width: Int, height: Int) {
            self.x = x; self.y = y; self.width = width; self.height = height
        }
    }

    /// A detected line in pixel coordinates.
    public struct Line: Sendable, Hashable {
        /// A point on the line.
        public var origin: SIMD2<Double>
        /// Unit direction, x component non-negative.
        public var direction: SIMD2<Double>
        /// Scan-line peaks the line was fitted to.
        public var peaks: [SIMD2<Double>]
        /// Peaks within the consensus tolerance.
        public var inlierCount: Int

        /// The line's y at column `x` (nil for a vertical line).
        public func y(atX x: Double) -> Double? {
            abs(direction.x) < 1e-12 ? nil : origin.y + (x - origin.x) / direction.x * direction.y
        }
    }

    /// Number of scan lines.
    public var scanLineCount = 40
    /// Peak threshold as a fraction of the scan line's maximum.
    public var peakThresholdFraction = 0.5
    /// Consensus tolerance: distance of a peak from the line (pixels).
    public var inlierTolerance = 0.5
    /// Lines steeper than this (|direction.x| below it) are rejected.
    public var minimumDirectionX = 0.01
    /// Restricts the search; nil searches the whole frame.
    public var clip: Rectangle?

    public init(clip: Rectangle? = nil) { self.clip = clip }

    /// The search region for a `width` x `height` frame (the clip limited to the frame).
    public func region(width: Int, height: Int) -> Rectangle {
        guard let c = clip, c.width > 0, c.height > 0 else { return Rectangle(x: 0, y: 0, width: width, height: height) }
        let x0 = (0..<width).contains(c.x) ? c.x : 0
        let y0 = (0..<height).contains(c.y) ? c.y : 0
        return Rectangle(x: x0, y: y0, width: min(c.width, width - x0), height: min(c.height, height - y0))
    }

    /// Detects the line, or nil when too few scan lines show a peak.
    public func detect(in image: Image) -> Line? {
        guard !image.isEmpty else { return nil }
        let r = region(width: image.width, height: image.height)
        let spacing = Double(r.width - 1) / Double(max(scanLineCount - 1, 1))
        var peaks: [SIMD2<Double>] = []
        var profile = [Int](repeating: 0, count: r.height)
        for line in 0..<scanLineCount {
            let x = r.x + Int(spacing * Double(line))
            for i in 0..<r.height { profile[i] = Int(image.value(x: x, y: r.y + i)) }
            if let cog = Self.largestPeakCentre(profile, thresholdFraction: peakThresholdFraction) {
                peaks.append(SIMD2(Double(x), Double(r.y) + cog))
            }
        }
        guard peaks.count >= 2, var line = Self.consensusLine(peaks, tolerance: inlierTolerance) else { return nil }
        line.peaks = peaks
        guard line.direction.x >= minimumDirectionX else { return nil }
        return line
    }

    /// The position signal PLUS uses: |y| of the line at the region's horizontal centre.
    public func signal(in image: Image) -> Double? {
        guard let line = detect(in: image) else { return nil }
        let r = region(width: image.width, height: image.height)
        return line.y(atX: Double(r.x) + 0.5 * Double(r.width)).map(abs)
    }

    /// Intensity-weighted centre of the largest-area run above `thresholdFraction` of the maximum.
    /// A run still open at the end of the profile does not count (as in PLUS).
    static func largestPeakCentre(_ p: [Int], thresholdFraction: Double) -> Double? {
        guard let maxValue = p.max(), maxValue > 0 else { return nil }
        let threshold = Double(maxValue) * thresholdFraction
        var best = 0, bestStart = -1
        var area = 0, start = 0, under = false
        for (i, v) in p.enumerated() {
            let d = Double(v)
            if d > threshold {
                if !under { under = true; area = v; start = i } else { area += v }
            } else if d < threshold, under {
                under = false
                if area > best { best = area; bestStart = start }
            }
        }
        guard bestStart >= 0 else { return nil }
        var weighted = 0.0, sum = 0.0
        var i = bestStart
        while i < p.count, Double(p[i]) > threshold {
            weighted += Double(i * p[i]); sum += Double(p[i]); i += 1
        }
        return sum > 0 ? weighted / sum : nil
    }

    /// Deterministic consensus fit: every pair of points proposes a line, the one with most
    /// points within `tolerance` wins, and the line is refitted by total least squares on those.
    static func consensusLine(_ pts: [SIMD2<Double>], tolerance: Double) -> Line? {
        var bestInliers: [Int] = []
        for i in pts.indices {
            for j in (i + 1)..<max(pts.count, i + 1) {
                guard let inliers = LineFit.inliers(pts, through: pts[i], pts[j], tolerance: tolerance, minimumSeparation: 1e-9) else { continue }
                if inliers.count > bestInliers.count { bestInliers = inliers }
            }
        }
        guard bestInliers.count >= 2 else { return nil }
        let fit = LineFit.totalLeastSquares(bestInliers.map { pts[$0] })
        let dir = fit.direction.x < 0 ? -fit.direction : fit.direction
        return Line(origin: fit.point, direction: dir, peaks: [], inlierCount: bestInliers.count)
    }
}
