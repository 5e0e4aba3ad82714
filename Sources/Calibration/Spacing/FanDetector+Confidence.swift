#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension FanDetector {
    /// Fraction of `true` pixels of `raw` in rows `rows`, columns `columns` (clamped to the frame).
    static func fill(_ raw: [Bool], width w: Int, height h: Int, rows: ClosedRange<Int>, columns: ClosedRange<Int>) -> Double {
        let r = max(0, rows.lowerBound)...min(h - 1, rows.upperBound), c = max(0, columns.lowerBound)...min(w - 1, columns.upperBound)
        guard !r.isEmpty, !c.isEmpty else { return 0 }
        var n = 0
        for y in r { for x in c where raw[y * w + x] { n += 1 } }
        return Double(n) / Double(r.count * c.count)
    }

    /// A rectangle: its top and bottom borders (which set the depth) must be inside the frame and
    /// filled; the rectangle must be filled with data.
    static func rectangleConfidence(raw: [Bool], width w: Int, height h: Int, top: Int, bottom: Int, left: Int, right: Int,
                                    agreement: Double) -> RegionConfidence {
        var reasons: [String] = []
        if top == 0 { reasons.append("the data starts at the frame's first row, so the transducer face is not visible") }
        if bottom == h - 1 { reasons.append("the data reaches the frame's last row, so the deepest row is not visible") }
        let band = 2
        let edge = min(fill(raw, width: w, height: h, rows: top...(top + band), columns: left...right),
                       fill(raw, width: w, height: h, rows: (bottom - band)...bottom, columns: left...right))
        let interior = fill(raw, width: w, height: h, rows: top...bottom, columns: left...right)
        return RegionConfidence(edgeContrast: reasons.isEmpty ? edge : 0, frameAgreement: agreement, fitQuality: interior, reasons: reasons)
    }

    /// A fan: its deep arc must be inside the frame and filled, the fan filled with data, and its
    /// outline explained by the two side lines and the two arcs.
    func fanConfidence(_ fan: FanGeometry, raw: [Bool], outline: [SIMD2<Double>], width w: Int, height h: Int, bottom: Int,
                       agreement: Double) -> RegionConfidence {
        var reasons: [String] = []
        let start = fan.startAngleDegrees * Double.pi / 180, stop = fan.stopAngleDegrees * Double.pi / 180
        // Samples just inside the deep arc, over the part of the arc inside the frame.
        var inside = 0, filled = 0, cut = 0
        let samples = 200
        for k in 0...samples {
            let a = start + (stop - start) * Double(k) / Double(samples)
            let r = fan.radiusStop - 2
            let x = Int((fan.apex.x + r * sin(a)).rounded()), y = Int((fan.apex.y + r * cos(a)).rounded())
            guard x >= 0, x < w, y >= 0 else { continue }
            if y >= h - 1 { cut += 1; continue }
            inside += 1
            if raw[y * w + x] { filled += 1 }
        }
        if cut > 0 && bottom == h - 1 { reasons.append("the fan's deep arc is cut by the frame's last row, so the deepest data is not visible") }
        let arc = inside > 0 ? Double(filled) / Double(inside) : 0
        // Fan interior filled with data.
        var inFan = 0, dataInFan = 0
        var y = 0
        while y < h {
            var x = 0
            while x < w {
                if fan.contains(x: Double(x), y: Double(y)) { inFan += 1; if raw[y * w + x] { dataInFan += 1 } }
                x += 2
            }
            y += 2
        }
        let interior = inFan > 0 ? Double(dataInFan) / Double(inFan) : 0
        // Outline explained by the fitted fan (within 2 px of a side line or an arc).
        let explained = outline.filter { p in
            let d = p - fan.apex
            let r = (d * d).sum().squareRoot()
            let angle = atan2(d.x, d.y)
            let onArc = abs(r - fan.radiusStart) <= 2 || abs(r - fan.radiusStop) <= 2
            let onSide = min(abs(angle - start), abs(angle - stop)) * r <= 2
            return onArc || onSide
        }.count
        let fit = outline.isEmpty ? 0 : Double(explained) / Double(outline.count)
        return RegionConfidence(edgeContrast: reasons.isEmpty ? arc : 0, frameAgreement: agreement, fitQuality: min(interior, fit), reasons: reasons)
    }

    /// A region given by hand: rows `rows` (transducer face to deepest row) and columns `columns`
    /// (default: the whole width) of a `width` x `height` frame.
    public static func givenRegion(rows: ClosedRange<Int>, columns: ClosedRange<Int>? = nil, width: Int, height: Int) -> ImagingRegion {
        let c = columns ?? 0...(width - 1)
        return ImagingRegion(shape: .linear, top: rows.lowerBound, bottom: rows.upperBound, left: c.lowerBound, right: c.upperBound,
                             frameWidth: width, frameHeight: height, notes: ["region given by hand"], confidence: .given)
    }
}
