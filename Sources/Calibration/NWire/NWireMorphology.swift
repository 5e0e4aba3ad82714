/// Grey-level morphology on 8-bit frames restricted to a region of interest, as PLUS's
/// `PlusFidSegmentation` does it: outputs are zero outside the region, inputs are read around it.
///
/// Bar (line) erosions and dilations run in O(1) per pixel with the van Herk / Gil-Werman
/// algorithm; the disc is small (a few pixels) and done directly.
struct NWireMorphology {
    /// Frame width and height.
    let width: Int, height: Int
    /// Region written: x in `x0..<x1`, y in `y0..<y1`; every bar and disc around it lies inside the frame.
    let x0: Int, y0: Int, x1: Int, y1: Int
    /// Bar half-length in pixels (the bar covers `2 * bar + 1` pixels).
    let bar: Int
    /// Disc offsets (dx, dy).
    let disc: [SIMD2<Int>]

    /// The four bar directions PLUS uses: 0, 45 (up-right), 90 and 135 (down-right) degrees.
    static let directions: [SIMD2<Int>] = [SIMD2(1, 0), SIMD2(1, -1), SIMD2(0, 1), SIMD2(1, 1)]

    init(width: Int, height: Int, x0: Int, y0: Int, x1: Int, y1: Int, bar: Int, discRadius: Int) {
        self.width = width; self.height = height
        self.x0 = x0; self.y0 = y0; self.x1 = x1; self.y1 = y1
        self.bar = bar
        var d: [SIMD2<Int>] = []
        if discRadius >= 0 {
            for x in -discRadius...discRadius {
                for y in -discRadius...discRadius where Double(x * x + y * y).squareRoot() <= Double(discRadius) {
                    d.append(SIMD2(y, x))
                }
            }
        }
        disc = d
    }

    /// `dest` = min (`erode`) or max of `src` over the bar in direction `dir`, inside the region; 0 elsewhere.
    func barFilter(_ src: UnsafePointer<UInt8>, _ dest: UnsafeMutablePointer<UInt8>, direction dir: SIMD2<Int>,
                   erode: Bool, scratch: UnsafeMutablePointer<UInt8>) {
        dest.update(repeating: 0, count: width * height)
        let w = width, h = height, b = bar, window = 2 * bar + 1
        let line = scratch, prefix = scratch + max(w, h) + 1, suffix = prefix + max(w, h) + 1
        // Starting pixels of every line with this direction, each walked until it leaves the frame.
        var starts: [SIMD2<Int>] = []
        switch (dir.x, dir.y) {
        case (1, 0): starts = (0..<h).map { SIMD2(0, $0) }
        case (0, 1): starts = (0..<w).map { SIMD2($0, 0) }
        case (1, 1): starts = (0..<w).map { SIMD2($0, 0) } + (1..<h).map { SIMD2(0, $0) }
        default: starts = (0..<h).map { SIMD2(0, $0) } + (1..<w).map { SIMD2($0, h - 1) }
        }
        for s in starts {
            // Gather the line.
            var n = 0
            var x = s.x, y = s.y
            while x >= 0, x < w, y >= 0, y < h {
                line[n] = src[y * w + x]
                n += 1; x += dir.x; y += dir.y
            }
            if n < window { continue }
            // Block-wise prefix and suffix extrema.
            var i = 0
            while i < n {
                let end = min(i + window, n)
                var acc = line[i]
                prefix[i] = acc
                var k = i + 1
                while k < end {
                    acc = erode ? min(acc, line[k]) : max(acc, line[k])
                    prefix[k] = acc; k += 1
                }
                acc = line[end - 1]
                suffix[end - 1] = acc
                k = end - 2
                while k >= i {
                    acc = erode ? min(acc, line[k]) : max(acc, line[k])
                    suffix[k] = acc; k -= 1
                }
                i = end
            }
            // Centres whose window lies in the line; write those inside the region.
            var c = b
            while c + b < n {
                let px = s.x + c * dir.x, py = s.y + c * dir.y
                if px >= x0, px < x1, py >= y0, py < y1 {
                    let a = suffix[c - b], z = prefix[c + b]
                    dest[py * w + px] = erode ? min(a, z) : max(a, z)
                }
                c += 1
            }
        }
    }

    /// `dest` = min (`erode`) or max of `src` over the disc, inside the region; 0 elsewhere.
    func discFilter(_ src: UnsafePointer<UInt8>, _ dest: UnsafeMutablePointer<UInt8>, erode: Bool) {
        dest.update(repeating: 0, count: width * height)
        let w = width
        let offsets = disc.map { $0.y * w + $0.x }
        offsets.withUnsafeBufferPointer { off in
            for y in y0..<y1 {
                for x in x0..<x1 {
                    let p = src + (y * w + x)
                    var v: UInt8 = erode ? 255 : 0
                    if erode {
                        for o in off { let s = p[o]; if s < v { v = s; if v == 0 { break } } }
                    } else {
                        for o in off { let s = p[o]; if s > v { v = s; if v == 255 { break } } }
                    }
                    dest[y * w + x] = v
                }
            }
        }
    }
}
