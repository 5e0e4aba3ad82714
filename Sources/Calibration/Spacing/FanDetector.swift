#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry
import Imaging

/// Finds the imaging region (rectangle or fan) of B-mode frames from where their pixels are
/// non-black, without any probe settings.
///
/// The union of the frames' non-black pixels is reduced to its largest connected part and its
/// holes filled. The two longest straight edges of that region's outline are found by consensus
/// line fitting; if they converge to an apex above the data, the region is a fan whose radii are
/// the nearest and farthest data pixels from the apex. Otherwise the region is the bounding
/// rectangle (linear probe). Reconstruction's fan auto-detection uses the same detector.
public struct FanDetector: Sendable {
    /// Pixels above this value count as data.
    public var threshold: Double = 0
    /// Distance (pixels) within which an outline pixel belongs to an edge line.
    public var edgeTolerance: Double = 1.5
    /// Consensus trials per line.
    public var trials: Int = 600
    /// Smallest edge, in outline pixels, taken for a fan side.
    public var minimumEdgePixels: Int = 20

    /// Why no region was found.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case noFrames
        case sizeMismatch(expected: String, got: String)
        case blank(threshold: Double)
        public var description: String {
            switch self {
            case .noFrames: return "imaging region detection needs at least one frame"
            case let .sizeMismatch(e, g): return "frames differ in size: \(e) vs \(g)"
            case let .blank(t): return "no pixel is brighter than \(formatted(t)): the frames are blank"
            }
        }
    }

    public init(threshold: Double = 0) { self.threshold = threshold }

    /// Detects the region from one or more frames of the same size, with its confidence.
    public func detect(_ frames: [Image]) throws(Failure) -> ImagingRegion {
        guard let first = frames.first else { throw .noFrames }
        let w = first.width, h = first.height
        var raw = [Bool](repeating: false, count: w * h)
        // Each frame's first and last row with data (nil: no data), for the frame agreement.
        var bounds: [(top: Int, bottom: Int)?] = []
        for f in frames {
            guard f.width == w, f.height == h else { throw .sizeMismatch(expected: "\(w)x\(h)", got: "\(f.width)x\(f.height)") }
            var own = [Bool](repeating: false, count: h)
            if f.scalarType == .uint8, f.components == 1, threshold >= 0 {
                let t = UInt8(min(255, threshold.rounded(.down)))
                f.bytes.withUnsafeBufferPointer { b in
                    for y in 0..<h { for x in 0..<w where b[y * w + x] > t { raw[y * w + x] = true; own[y] = true } }
                }
            } else {
                for y in 0..<h { for x in 0..<w where f.value(x: x, y: y) > threshold { raw[y * w + x] = true; own[y] = true } }
            }
            if let top = own.firstIndex(of: true), let bottom = own.lastIndex(of: true) { bounds.append((top, bottom)) } else { bounds.append(nil) }
        }
        let mask = Self.largestComponentFilled(raw, width: w, height: h)
        var top = h, bottom = -1, left = w, right = -1
        for y in 0..<h { for x in 0..<w where mask[y * w + x] {
            top = min(top, y); bottom = max(bottom, y); left = min(left, x); right = max(right, x)
        } }
        guard bottom >= 0 else { throw .blank(threshold: threshold) }
        let agreement = Double(bounds.filter { b in b.map { abs($0.top - top) <= 2 && abs($0.bottom - bottom) <= 2 } ?? false }.count) / Double(frames.count)
        var notes: [String] = []
        let outline = Self.outline(mask, width: w, height: h)
        if let fan = fan(outline: outline, mask: mask, width: w, height: h, top: top, left: left, right: right) {
            if bottom == h - 1 { notes.append("the fan reaches the bottom of the frame: the deepest data may be cut off, so the radius stop (and depth) may be underestimated") }
            if left == 0 || right == w - 1 { notes.append("the fan is cut by the frame's sides (edges fitted to the visible part)") }
            let confidence = fanConfidence(fan, raw: raw, outline: outline, width: w, height: h, bottom: bottom, agreement: agreement)
            return ImagingRegion(shape: .curvilinear, top: top, bottom: bottom, left: left, right: right, fan: fan,
                                 frameWidth: w, frameHeight: h, notes: notes, confidence: confidence)
        }
        if top == 0 { notes.append("the data starts at the first row: the transducer face may be above the frame") }
        if bottom == h - 1 { notes.append("the data reaches the last row: the deepest data may be cut off") }
        let confidence = Self.rectangleConfidence(raw: raw, width: w, height: h, top: top, bottom: bottom, left: left, right: right, agreement: agreement)
        return ImagingRegion(shape: .linear, top: top, bottom: bottom, left: left, right: right,
                             frameWidth: w, frameHeight: h, notes: notes, confidence: confidence)
    }

    // MARK: - Fan fitting

    private func fan(outline: [SIMD2<Double>], mask: [Bool], width w: Int, height h: Int, top: Int, left: Int, right: Int) -> FanGeometry? {
        guard outline.count >= 2 * minimumEdgePixels else { return nil }
        var generator = SplitMix64(seed: 0x5eed)
        guard let first = bestLine(outline, using: &generator) else { return nil }
        let rest = outline.filter { abs(first.distance($0)) > edgeTolerance }
        guard let second = bestLine(rest, using: &generator) else { return nil }
        guard first.inliers >= minimumEdgePixels, second.inliers >= minimumEdgePixels else { return nil }
        // Edge directions pointing down (+y).
        var d1 = first.direction, d2 = second.direction
        if d1.y < 0 { d1 = -d1 }
        if d2.y < 0 { d2 = -d2 }
        let a1 = atan2(d1.x, d1.y) * 180 / Double.pi, a2 = atan2(d2.x, d2.y) * 180 / Double.pi
        // Side edges of a fan lean outwards on opposite sides and are neither vertical nor flat.
        guard a1 * a2 < 0, abs(a1 - a2) > 5, abs(a1) < 89, abs(a2) < 89 else { return nil }
        // Intersection of the two lines.
        let denom = d1.x * d2.y - d1.y * d2.x
        guard abs(denom) > 1e-9 else { return nil }
        let diff = second.point - first.point
        let s = (diff.x * d2.y - diff.y * d2.x) / denom
        let apex = first.point + s * d1
        guard apex.y <= Double(top) + 2, apex.x > Double(left), apex.x < Double(right) else { return nil }
        var rMin = Double.infinity, rMax = 0.0
        for y in 0..<h { for x in 0..<w where mask[y * w + x] {
            let dx = Double(x) - apex.x, dy = Double(y) - apex.y
            let r = (dx * dx + dy * dy).squareRoot()
            rMin = min(rMin, r); rMax = max(rMax, r)
        } }
        return FanGeometry(apex: apex, startAngleDegrees: min(a1, a2), stopAngleDegrees: max(a1, a2), radiusStart: rMin, radiusStop: rMax)
    }

    private struct FittedLine {
        var point: SIMD2<Double>
        var direction: SIMD2<Double>
        var inliers: Int
        func distance(_ p: SIMD2<Double>) -> Double {
            let q = p - point
            return q.x * direction.y - q.y * direction.x
        }
    }

    /// Consensus line through the most outline pixels, refitted by total least squares.
    private func bestLine(_ pts: [SIMD2<Double>], using g: inout SplitMix64) -> FittedLine? {
        guard pts.count >= 2 else { return nil }
        var best: [Int] = []
        for _ in 0..<trials {
            let i = Int(g.next() % UInt64(pts.count)), j = Int(g.next() % UInt64(pts.count))
            guard let inliers = LineFit.inliers(pts, through: pts[i], pts[j], tolerance: edgeTolerance, minimumSeparation: 10) else { continue }
            if inliers.count > best.count { best = inliers }
        }
        guard best.count >= 2 else { return nil }
        let fit = LineFit.totalLeastSquares(best.map { pts[$0] })
        let line = FittedLine(point: fit.point, direction: fit.direction, inliers: 0)
        // Count again against the refitted line.
        let count = pts.filter { abs(line.distance($0)) <= edgeTolerance }.count
        return FittedLine(point: fit.point, direction: fit.direction, inliers: count)
    }

    // MARK: - Mask helpers

    /// The largest 4-connected component of `mask`, with its holes filled.
    static func largestComponentFilled(_ mask: [Bool], width w: Int, height h: Int) -> [Bool] {
        var label = [Int32](repeating: 0, count: w * h)
        var bestLabel: Int32 = 0, bestSize = 0
        var next: Int32 = 0
        var stack: [Int] = []
        for start in 0..<(w * h) where mask[start] && label[start] == 0 {
            next += 1
            var size = 0
            label[start] = next
            stack.append(start)
            while let p = stack.popLast() {
                size += 1
                let x = p % w, y = p / w
                if x > 0, mask[p - 1], label[p - 1] == 0 { label[p - 1] = next; stack.append(p - 1) }
                if x < w - 1, mask[p + 1], label[p + 1] == 0 { label[p + 1] = next; stack.append(p + 1) }
                if y > 0, mask[p - w], label[p - w] == 0 { label[p - w] = next; stack.append(p - w) }
                if y < h - 1, mask[p + w], label[p + w] == 0 { label[p + w] = next; stack.append(p + w) }
            }
            if size > bestSize { bestSize = size; bestLabel = next }
        }
        guard bestSize > 0 else { return mask }
        // Background reachable from the frame border stays background; everything else is region.
        var outside = [Bool](repeating: false, count: w * h)
        for x in 0..<w { for y in [0, h - 1] where label[y * w + x] != bestLabel && !outside[y * w + x] { outside[y * w + x] = true; stack.append(y * w + x) } }
        for y in 0..<h { for x in [0, w - 1] where label[y * w + x] != bestLabel && !outside[y * w + x] { outside[y * w + x] = true; stack.append(y * w + x) } }
        while let p = stack.popLast() {
            let x = p % w, y = p / w
            for q in [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]
            where q >= 0 && !outside[q] && label[q] != bestLabel {
                outside[q] = true; stack.append(q)
            }
        }
        return outside.map { !$0 }
    }

    /// Region pixels with a background 4-neighbour inside the frame (the frame border is not an edge).
    static func outline(_ mask: [Bool], width w: Int, height h: Int) -> [SIMD2<Double>] {
        var pts: [SIMD2<Double>] = []
        for y in 0..<h { for x in 0..<w where mask[y * w + x] {
            let p = y * w + x
            if (x > 0 && !mask[p - 1]) || (x < w - 1 && !mask[p + 1]) || (y > 0 && !mask[p - w]) || (y < h - 1 && !mask[p + w]) {
                pts.append(SIMD2(Double(x), Double(y)))
            }
        } }
        return pts
    }
}
