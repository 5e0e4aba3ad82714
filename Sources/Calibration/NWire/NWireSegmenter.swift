import Dispatch
import Imaging

/// A bright blob found in a frame: intensity-weighted centroid (pixels) and its score.
public struct NWireDot: Sendable, Hashable {
    /// Centroid in pixel coordinates (x right, y down, MF frame).
    public var position: SIMD2<Double>
    /// Sum of the filtered intensities / 255 over the blob (PLUS's dot intensity).
    public var intensity: Double

    public init(position: SIMD2<Double>, intensity: Double) {
        self.position = position
        self.intensity = intensity
    }
}

/// What segmenting one frame found.
public struct NWireSegmentation: Sendable {
    /// Candidate dots, brightest first (at most `NumberOfMaximumFiducialPointCandidates`).
    public var candidates: [NWireDot]
    /// Whether the frame had more candidates than allowed (PLUS then still labels the brightest ones).
    public var tooManyCandidates: Bool
    /// The labelled wire intersections, pattern by pattern (top to bottom) and wire by wire
    /// (decreasing x), so `points[3 * p + w]` belongs to wire `w` of pattern `p`; empty when no
    /// pattern was recognised.
    public var points: [SIMD2<Double>]
    /// Sum of the intensities of the recognised lines' dots.
    public var patternIntensity: Double

    /// Whether the full pattern was recognised.
    public var isPatternFound: Bool { !points.isEmpty }
}

/// Finds N-wire phantom dots in B-mode frames and labels them with the phantom's wires,
/// porting PLUS's `PlusFidSegmentation`, `PlusFidLineFinder` and `PlusFidLabeling`:
/// a top-hat with bars at 0/45/90/135 degrees removes lines, a disc opening keeps dots, a
/// percentage threshold and 8-connected clustering give intensity-weighted centroids, collinear
/// triples of the right length form lines, and the set of lines whose spacing matches the
/// distance between the phantom's N-wire planes is the pattern.
public struct NWireSegmenter: Sendable {
    /// The segmentation parameters.
    public let parameters: NWireSegmentationParameters
    /// The phantom whose wires are labelled.
    public let phantom: NWirePhantom

    public init(parameters: NWireSegmentationParameters, phantom: NWirePhantom) throws(NWireError) {
        try parameters.validate()
        self.parameters = parameters
        self.phantom = phantom
    }

    /// Segments one frame: candidate dots and, when recognised, the labelled pattern.
    public func segment(_ image: Image) throws(NWireError) -> NWireSegmentation {
        guard image.scalarType == .uint8, image.components == 1 else {
            throw .unsupportedImage("expected 8-bit single-component frames, got \(image.scalarType) x\(image.components)")
        }
        let (dots, tooMany) = detectDots(image)
        let labelled = NWirePatternRecognizer(parameters: parameters, phantom: phantom).recognize(dots)
        return NWireSegmentation(candidates: dots, tooManyCandidates: tooMany,
                                 points: labelled?.points ?? [], patternIntensity: labelled?.intensity ?? 0)
    }

    /// Segments frames, in parallel batches, reporting `(done, total)` on the calling thread after each
    /// batch; frames that are not 8-bit single-component give no pattern.
    public func segment(_ images: [Image], progress: ((Int, Int) -> Void)? = nil) -> [NWireSegmentation] {
        let empty = NWireSegmentation(candidates: [], tooManyCandidates: false, points: [], patternIntensity: 0)
        var out = [NWireSegmentation](repeating: empty, count: images.count)
        let batch = 16
        var start = 0
        while start < images.count {
            let first = start, end = min(start + batch, images.count)
            out.withSharedBuffer { buffer in
                DispatchQueue.concurrentPerform(iterations: end - first) { k in
                    if let s = try? segment(images[first + k]) { buffer[first + k] = s }
                }
            }
            start = end
            progress?(start, images.count)
        }
        return out
    }

    /// The search region after PLUS's validation against the bar size (x0, y0, x1, y1), or nil when the frame is too small.
    func regionOfInterest(width w: Int, height h: Int) -> (Int, Int, Int, Int)? {
        let b = parameters.barSizePx
        if w < 2 * b + 1 || h < 2 * b + 1 { return nil }
        var x0: Int, y0: Int, x1: Int, y1: Int
        if let o = parameters.clipRectangleOrigin, let s = parameters.clipRectangleSize {
            x0 = o.x; y0 = o.y; x1 = o.x + s.x; y1 = o.y + s.y
        } else {
            x0 = b + 1; y0 = b + 1; x1 = w - b - 1; y1 = h - b - 1
        }
        if x0 > x1 { swap(&x0, &x1) }
        if y0 > y1 { swap(&y0, &y1) }
        if x0 - b <= 0 { x0 = b + 1 }
        if x0 + b >= w { x0 = w - b - 1 }
        if x1 < x0 { x1 = x0 }
        if x1 + b >= w { x1 = w - b - 1 }
        if y0 - b <= 0 { y0 = b + 1 }
        if y0 + b >= h { y0 = h - b - 1 }
        if y1 < y0 { y1 = y0 }
        if y1 + b >= h { y1 = h - b - 1 }
        // The disc must fit too (PLUS relies on the bar being longer than the disc radius).
        let r = parameters.circleRadiusPx
        x0 = max(x0, r); y0 = max(y0, r); x1 = min(x1, w - r); y1 = min(y1, h - r)
        if x0 >= x1 || y0 >= y1 { return nil }
        return (x0, y0, x1, y1)
    }

    /// Morphological filtering, threshold and clustering: the candidate dots, brightest first.
    func detectDots(_ image: Image) -> (dots: [NWireDot], tooMany: Bool) {
        let w = image.width, h = image.height
        guard let (x0, y0, x1, y1) = regionOfInterest(width: w, height: h) else { return ([], false) }
        let morph = NWireMorphology(width: w, height: h, x0: x0, y0: y0, x1: x1, y1: y1,
                                    bar: parameters.barSizePx, discRadius: parameters.circleRadiusPx)
        var working = image.bytes
        var eroded = [UInt8](repeating: 0, count: w * h)
        var scratch = [UInt8](repeating: 0, count: NWireMorphology.scratchCount(width: w, height: h))
        var dots: [NWireDot] = []
        working.withUnsafeMutableBufferPointer { work in
            eroded.withUnsafeMutableBufferPointer { eroded in
                scratch.withUnsafeMutableBufferPointer { scratch in
                    // Top-hat with bars: subtract the bar openings so that line-like structures vanish.
                    for dir in NWireMorphology.directions {
                        morph.barFilter(UnsafeBufferPointer(work), eroded, direction: dir, output: .erode, scratch: scratch)
                        morph.barFilter(UnsafeBufferPointer(eroded), work, direction: dir, output: .dilateAndSubtract, scratch: scratch)
                    }
                    // Opening with the disc keeps blobs at least as large as a wire cross-section.
                    morph.discFilter(UnsafeBufferPointer(work), eroded, erode: true)
                    let hi = morph.discFilter(UnsafeBufferPointer(eroded), work, erode: false)
                    // Threshold at a percentage of the range; the minimum is 0 (the frame border lies outside the region).
                    let step = (Double(hi) * parameters.thresholdImagePercent / 100 + 0.5).rounded(.down)
                    let threshold = max(UInt8(clamping: Int(step)), 1)
                    dots = cluster(work, threshold: threshold, original: image.bytes, width: w, region: (x0, y0, x1, y1))
                }
            }
        }
        dots.sort { $0.intensity > $1.intensity }
        let limit = parameters.numberOfMaximumFiducialPointCandidates
        if dots.count > limit {
            dots.removeSubrange(limit...)
            return (dots, true)
        }
        return (dots, false)
    }

    /// 8-connected clusters of pixels at or above `threshold` in the region, as intensity-weighted
    /// centroids; clusters closer than 8 pixels to the region border are dropped (PLUS's `AcceptDot`).
    private func cluster(_ work: UnsafeMutableBufferPointer<UInt8>, threshold: UInt8, original: [UInt8], width w: Int,
                         region: (Int, Int, Int, Int)) -> [NWireDot] {
        let (x0, y0, x1, y1) = region
        let margin = 8.0
        let maxCluster = 16384
        var dots: [NWireDot] = []
        var stack: [Int] = [], members: [Int] = [], values: [UInt8] = []
        var y = y0
        while y < y1 {
            defer { y += 1 }
            var x = x0 - 1
            let row = y * w
            while true {
                x += 1
                if x >= x1 { break }
                if work[row + x] < threshold { continue }
                let seed = y * w + x
                stack.removeAll(keepingCapacity: true)
                members.removeAll(keepingCapacity: true)
                values.removeAll(keepingCapacity: true)
                stack.append(seed); members.append(seed); values.append(work[seed])
                work[seed] = 0
                while let p = stack.popLast() {
                    for dy in -1...1 {
                        for dx in -1...1 where dx != 0 || dy != 0 {
                            let q = p + dy * w + dx
                            if work[q] >= threshold && stack.count < maxCluster && members.count < maxCluster {
                                stack.append(q); members.append(q); values.append(work[q])
                                work[q] = 0
                            }
                        }
                    }
                }
                var sx = 0.0, sy = 0.0, total = 0.0
                for (k, p) in members.enumerated() {
                    let a = Double(values[k]) / 255
                    sx += Double(p % w) * a; sy += Double(p / w) * a; total += a
                }
                let c = SIMD2(sx / total, sy / total)
                guard c.y >= Double(y0) + margin, c.y < Double(y1) - margin,
                      c.x >= Double(x0) + margin, c.x < Double(x1) - margin else { continue }
                var intensity = total
                if parameters.useOriginalImageIntensityForDotIntensityScore {
                    intensity = 0
                    for p in members {
                        let d = SIMD2(Double(p % w), Double(p / w)) - c
                        if (d * d).sum() <= 9 { intensity += Double(original[p]) / 255 }
                    }
                }
                dots.append(NWireDot(position: c, intensity: intensity))
            }
        }
        return dots
    }
}
