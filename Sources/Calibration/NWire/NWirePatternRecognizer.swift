import Geometry

/// Groups candidate dots into collinear lines and picks the set of lines that forms the phantom's
/// N-wire pattern (PLUS's `PlusFidLineFinder` and `PlusFidLabeling` for `NWire` patterns).
struct NWirePatternRecognizer {
    let parameters: NWireSegmentationParameters
    let phantom: NWirePhantom

    /// A line through candidate dots.
    struct Line {
        /// Dot indices, ascending.
        var points: [Int]
        var start = 0, end = 0
        var intensity = 0.0
        var direction = SIMD2<Double>(0, 0)
    }

    /// Pattern-specific distances (mm) from the line start: the middle dot and the far side dot.
    private func expectedDistances(_ p: NWirePattern) -> (middle: Double, end: Double) {
        let w = p.wires
        let originToMiddle = (w[1].back + w[1].front) / 2 - w[0].front
        var originToEnd = w[2].front - w[0].front
        originToEnd /= originToEnd.length
        let projected = originToMiddle.dot(originToEnd) * originToEnd
        let back = w[0].back - w[2].back
        return (projected.length, (back.x * back.x + back.y * back.y).squareRoot())
    }

    /// The labelled points (pattern by pattern, wires by decreasing x) and the pattern intensity.
    func recognize(_ dots: [NWireDot]) -> (points: [SIMD2<Double>], intensity: Double)? {
        guard dots.count >= 3 else { return nil }
        let lines = findLines(dots)
        guard lines.count >= phantom.patterns.count else { return nil }
        return label(lines, dots)
    }

    // MARK: line finding

    private func acceptAngle(_ angle: Double) -> Bool {
        let minT = parameters.minThetaDegrees * .pi / 180, maxT = parameters.maxThetaDegrees * .pi / 180
        if angle > minT && angle < maxT { return true }
        if maxT < .pi / 2 && minT > -.pi / 2 {
            return angle < maxT - .pi || angle > minT + .pi
        } else if maxT > .pi / 2 {
            return angle < maxT - .pi && angle > minT - .pi
        } else if minT < -.pi / 2 {
            return angle < maxT + .pi && angle > minT + .pi
        }
        return false
    }

    /// Fills start/end (PLUS's choice, including its integer truncations), intensity and direction.
    private func compute(_ line: inout Line, _ pos: [SIMD2<Double>], _ intensity: [Double]) {
        line.intensity = line.points.reduce(0) { $0 + intensity[$1] }
        if line.points.count == 1 {
            line.start = line.points[0]; line.end = line.points[0]
        } else {
            line.start = line.points[0]
            var largestX = Int(pos[line.points[0]].x)
            for p in line.points where pos[p].x > Double(largestX) {
                largestX = Int(pos[p].x); line.start = p
            }
            var maxDistance = 0
            for p in line.points {
                let d = (pos[line.start] - pos[p]).length
                if d > Double(maxDistance) { maxDistance = Int(d); line.end = p }
            }
            maxDistance = 0
            for p in line.points {
                let d = (pos[line.end] - pos[p]).length
                if d > Double(maxDistance) { maxDistance = Int(d); line.start = p }
            }
        }
        if line.points.count > 2 {
            // Total least squares: the principal axis of the centred points.
            let n = Double(line.points.count)
            let mean = line.points.reduce(SIMD2<Double>.zero) { $0 + pos[$1] } / n
            var sxx = 0.0, sxy = 0.0, syy = 0.0
            for p in line.points {
                let d = pos[p] - mean
                sxx += d.x * d.x; sxy += d.x * d.y; syy += d.y * d.y
            }
            let angle = 0.5 * NWireMath.arcTangent(2 * sxy, sxx - syy)
            var dir = SIMD2(NWireMath.cosine(angle), NWireMath.sine(angle))
            if dir.x < 0 && dir.y < 0 { dir = -dir }
            line.direction = dir
        } else {
            line.direction = pos[line.end] - pos[line.start]
        }
    }

    private func lineAngle(_ l: Line) -> Double { NWireMath.arcTangent(l.direction.y, l.direction.x) }

    /// 3-point lines, brightest first.
    func findLines(_ dots: [NWireDot]) -> [Line] {
        let pos = dots.map(\.position), intensity = dots.map(\.intensity)
        // Lines are identified by their sorted dot indices packed into one integer.
        func key(_ p: [Int]) -> Int { p.reduce(0) { $0 << 20 | $1 } }
        let expected = phantom.patterns.map(expectedDistances)
        let lengthTolerancePx = parameters.px(4)   // PLUS's MaxLineLengthToleranceMm for N-wires
        let middleTolerancePx = parameters.px(15)
        // Two-point lines: pairs as far apart as the side wires.
        var pairs: [Line] = []
        var seen = Set<Int>()
        for e in expected {
            let lengthPx = parameters.px(e.end)
            for i in 0..<(dots.count - 1) {
                for j in (i + 1)..<dots.count {
                    let d = pos[j] - pos[i]
                    let length = Double(Float(d.length))
                    guard abs(length - lengthPx) < lengthTolerancePx,
                          acceptAngle(NWireMath.arcTangent(d.y, d.x)), !seen.contains(key([i, j])) else { continue }
                    seen.insert(key([i, j]))
                    var line = Line(points: [i, j])
                    compute(&line, pos, intensity)
                    pairs.append(line)
                }
            }
        }
        pairs.sort { $0.intensity > $1.intensity }
        // Three-point lines: a dot close to a pair's line, between its ends, at the middle distance.
        let maxOffLine = parameters.collinearPointsMaxDistanceFromLineMm / parameters.approximateSpacingMmPerPixel
        var triples: [Line] = []
        var tried = Set<Int>()
        for e in expected {
            let middlePx = parameters.px(e.middle)
            for pair in pairs {
                for k in 0..<dots.count where !pair.points.contains(k) {
                    guard NWireMath.distanceToLine(pos[k], pos[pair.start], pos[pair.end]) <= maxOffLine else { continue }
                    let candidate = (pair.points + [k]).sorted()
                    let length = Double(Float((pos[k] - pos[pair.start]).length))
                    guard abs(length - middlePx) < middleTolerancePx else { continue }
                    guard ((pos[pair.end] - pos[pair.start]) * (pos[k] - pos[pair.start])).sum() >= 0 else { continue }
                    guard !tried.contains(key(candidate)) else { continue }
                    var line = Line(points: candidate)
                    compute(&line, pos, intensity)
                    if acceptAngle(lineAngle(line)) {
                        tried.insert(key(candidate))
                        triples.append(line)
                    }
                }
            }
        }
        // Stable for equal intensities: keep PLUS's lexicographic point order.
        triples.sort { $0.intensity != $1.intensity ? $0.intensity > $1.intensity : $0.points.lexicographicallyPrecedes($1.points) }
        return triples
    }

    // MARK: labelling

    /// Allowed distance range (mm) between parallel lines and the angle range between non-parallel ones.
    private func pairLimits() -> (minDist: Double, maxDist: Double, minAngle: Double, maxAngle: Double) {
        var planes: [(normal: SIMD3<Double>, origin: SIMD3<Double>)] = []
        for p in phantom.patterns {
            let a = p.wires[0].front, b = p.wires[0].back, c = p.wires[2].front
            var n = (b - a).cross(c - a)
            n /= n.length
            planes.append((n, a))
        }
        var minD = Double.greatestFiniteMagnitude, maxD = -1.0
        var minA = Double.pi / 2, maxA = 0.0
        for i in 0..<planes.count {
            for j in 0..<i {
                let d = abs(planes[i].normal.dot(planes[j].origin - planes[i].origin))
                minD = min(minD, d); maxD = max(maxD, d)
                var angle = NWireMath.arcCosine(max(-1, min(1, planes[i].normal.dot(planes[j].normal))))
                if angle > .pi / 2 { angle -= .pi }
                angle = abs(angle)
                minA = min(minA, angle); maxA = max(maxA, angle)
            }
        }
        let e = parameters.maxLinePairDistanceErrorPercent / 100
        if planes.count < 2 { return (0, .greatestFiniteMagnitude, 0, .pi / 2) }
        return (minD * (1 - e), maxD * (1 + e), minA, maxA)
    }

    private static func angleBetween(_ a: Line, _ b: Line) -> Double {
        let na = a.direction.length, nb = b.direction.length
        var angle = NWireMath.arcCosine(max(-1, min(1, (a.direction * b.direction).sum() / (na * nb))))
        if angle > .pi / 2 { angle -= .pi }
        return abs(angle)
    }

    /// Shift between the middles of two lines, along the first line.
    private static func shift(_ a: Line, _ b: Line, _ pos: [SIMD2<Double>]) -> Double {
        let ma = (pos[a.start] + pos[a.end]) / 2, mb = (pos[b.start] + pos[b.end]) / 2
        var u = pos[a.end] - pos[a.start]
        u /= u.length
        return ((mb - ma) * u).sum()
    }

    /// The first combination of lines (brightest-first order) that satisfies the pairwise checks.
    func label(_ lines: [Line], _ dots: [NWireDot]) -> (points: [SIMD2<Double>], intensity: Double)? {
        let pos = dots.map(\.position)
        let k = phantom.patterns.count
        let n = lines.count
        guard n >= k else { return nil }
        let limits = pairLimits()
        let tolerance = parameters.angleToleranceDegrees * .pi / 180
        let maxDistPx = parameters.px(limits.maxDist), minDistPx = parameters.px(limits.minDist)
        let maxShiftPx = parameters.px(parameters.maxLineShiftMm)
        func valid(_ combo: [Int]) -> Bool {
            for i in 0..<(k - 1) {
                for j in (i + 1)..<k {
                    let l1 = lines[combo[i]], l2 = lines[combo[j]]
                    let angle = Self.angleBetween(l1, l2)
                    if angle < tolerance {
                        let d = NWireMath.distanceToLine(pos[l1.start], pos[l2.start], pos[l2.end])
                        if d > maxDistPx || d < minDistPx { return false }
                        if abs(Self.shift(l1, l2, pos)) > maxShiftPx { return false }
                    } else {
                        if angle > limits.maxAngle + tolerance || angle < limits.minAngle - tolerance { return false }
                    }
                }
            }
            return true
        }
        // Combinations in PLUS's order: the last index moves slowest (colexicographic).
        var idx = Array((0..<k).reversed())   // idx[0] is the fastest-moving, largest index
        var found: [Int]? = nil
        enumeration: while true {
            if valid(idx) { found = idx; break }
            // Advance.
            var i = 0
            while true {
                idx[i] += 1
                if idx[i] < n - i {
                    var next = idx[i] + 1
                    for j in stride(from: i - 1, through: 0, by: -1) { idx[j] = next; next += 1 }
                    break
                }
                if i == k - 1 { break enumeration }
                i += 1
            }
        }
        guard let combo = found else { return nil }
        // Order lines top to bottom by their middle y, and dots in each line by decreasing x.
        let chosen = combo.map { lines[$0] }.sorted {
            (pos[$0.start].y + pos[$0.end].y) < (pos[$1.start].y + pos[$1.end].y)
        }
        var points: [SIMD2<Double>] = []
        for line in chosen {
            points += line.points.map { pos[$0] }.sorted { $0.x > $1.x }
        }
        return (points, chosen.reduce(0) { $0 + $1.intensity })
    }
}
