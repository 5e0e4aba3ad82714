import Foundation
import PasteKernels

/// Which pixels of each frame row may be pasted: the clip rectangle, the fan wedge between the
/// two fan angles and the ring between the start and stop radii, computed per row exactly as
/// PLUS's pasters do: the optimized one (FULL, PARTIAL) per row with its one-pixel inset at the
/// fan edges, the unoptimized one (NONE) pixel by pixel without it (`fanRow(perPixel:...)`).
///
/// Each row holds at most two segments (two when the inner radius cuts the middle out).
struct PixelMask: Sendable, Equatable {
    /// Frame width and height in pixels.
    let width: Int
    let height: Int
    /// Per row: first/last pixel of segment 0 and of segment 1 (empty when start > end).
    private(set) var start0: [Int32]
    private(set) var end0: [Int32]
    private(set) var start1: [Int32]
    private(set) var end1: [Int32]
    /// First and last row that has any pixel.
    private(set) var firstRow: Int
    private(set) var lastRow: Int

    /// Number of pixels the mask keeps.
    var pixelCount: Int {
        var n = 0
        for y in 0..<height {
            n += max(0, Int(end0[y]) - Int(start0[y]) + 1) + max(0, Int(end1[y]) - Int(start1[y]) + 1)
        }
        return n
    }

    /// Builds the mask for a `width` x `height` frame.
    /// - Parameter fanAnglesDeg: the angles in use for this frame (configured or detected).
    init(width: Int, height: Int, settings: ReconstructionSettings, fanAnglesDeg: SIMD2<Double>) {
        self.width = width
        self.height = height
        start0 = [Int32](repeating: 0, count: height)
        end0 = [Int32](repeating: -1, count: height)
        start1 = [Int32](repeating: 0, count: height)
        end1 = [Int32](repeating: -1, count: height)
        firstRow = height
        lastRow = -1

        // Clip rectangle as a pixel extent (PLUS GetClipExtent with unit spacing, zero origin).
        var clipOrigin = SIMD2<Double>(Double(settings.clipRectangleOrigin.x), Double(settings.clipRectangleOrigin.y))
        var clipSize = SIMD2<Double>(Double(settings.clipRectangleSize.x), Double(settings.clipRectangleSize.y))
        if !(settings.clipRectangleSize.x > 0 && settings.clipRectangleSize.y > 0) {
            clipOrigin = .zero
            clipSize = SIMD2(Double(width - 1), Double(height - 1))
        }
        var x0 = Int(clipOrigin.x.rounded(.up)), x1 = Int((clipOrigin.x + clipSize.x).rounded(.down))
        var y0 = Int(clipOrigin.y.rounded(.up)), y1 = Int((clipOrigin.y + clipSize.y).rounded(.down))
        if x0 > x1 { swap(&x0, &x1) }
        if y0 > y1 { swap(&y0, &y1) }
        x0 = max(x0, 0); x1 = min(x1, width - 1)
        if x0 > x1 { x0 = 0; x1 = -1 }
        y0 = max(y0, 0); y1 = min(y1, height - 1)
        if y0 > y1 { y0 = 0; y1 = -1 }

        // vtkMath::RadiansFromDegrees multiplies by the rounded pi / 180.
        var tanLeft = tan(fanAnglesDeg.x * 0.017453292519943295)
        var tanRight = tan(fanAnglesDeg.y * 0.017453292519943295)
        if tanLeft > tanRight { swap(&tanLeft, &tanRight) }
        let fan = tanLeft != 0 || tanRight != 0
        let perPixel = settings.optimization == .none
        let ox = settings.fanOriginPixel.x, oy = settings.fanOriginPixel.y
        let stop2 = settings.fanRadiusStopPixel * settings.fanRadiusStopPixel
        let start2 = settings.fanRadiusStartPixel * settings.fanRadiusStartPixel

        guard y0 <= y1 else { return }
        for row in y0...y1 {
            var s = x0, e = x1
            var skip: (Int, Int)?
            if fan && perPixel {
                let kept = Self.fanRow(perPixel: row, x0, x1, origin: SIMD2(ox, oy), tangents: SIMD2(tanLeft, tanRight),
                                       squaredRadii: SIMD2(start2, stop2))
                s = kept.start; e = kept.end; skip = kept.skip
            } else if fan {
                let y = Double(row) - oy
                s = max(s, -PlusRounding.floor(-(tanLeft * y + ox + 1)))
                e = min(e, PlusRounding.floor(tanRight * y + ox - 1))
                let depth2 = y * y
                let dxStop2 = stop2 - depth2
                if dxStop2 < 0 {
                    s = 0; e = -1
                } else {
                    let dxStop = dxStop2.squareRoot()
                    s = max(s, -PlusRounding.floor(-(ox - dxStop + 1)))
                    e = min(e, PlusRounding.floor(ox + dxStop - 1))
                    let dxStart2 = start2 - depth2
                    if dxStart2 > 0 {
                        let dxStart = dxStart2.squareRoot()
                        skip = (-PlusRounding.floor(-(ox - dxStart + 1)), PlusRounding.floor(ox + dxStart - 1))
                    }
                }
            }
            guard s <= e else { continue }
            if let (ks, ke) = skip, ks <= ke {
                // Remove [ks, ke] from [s, e].
                if ks <= s {
                    s = max(s, ke + 1)
                } else if ke >= e {
                    e = min(e, ks - 1)
                } else {
                    start1[row] = Int32(ke + 1); end1[row] = Int32(e)
                    e = ks - 1
                }
            }
            if s <= e { start0[row] = Int32(s); end0[row] = Int32(e) }
            if s <= e || start1[row] <= end1[row] {
                firstRow = min(firstRow, row)
                lastRow = max(lastRow, row)
            }
        }
    }

    /// Segment `k` (0 or 1) of `row` as an inclusive range, empty when start > end (segment 1
    /// is empty unless the start radius cuts the row in two).
    @inline(__always)
    func segment(_ k: Int, row: Int) -> (start: Int, end: Int) {
        k == 0 ? (Int(start0[row]), Int(end0[row])) : (Int(start1[row]), Int(end1[row]))
    }

    /// The segments of `row` as inclusive ranges (0, 1 or 2 of them), calling `body` for each.
    @inline(__always)
    func forEachSegment(row: Int, _ body: (Int, Int) -> Void) {
        let s0 = Int(start0[row]), e0 = Int(end0[row])
        if s0 <= e0 { body(s0, e0) }
        let s1 = Int(start1[row]), e1 = Int(end1[row])
        if s1 <= e1 { body(s1, e1) }
    }
}
