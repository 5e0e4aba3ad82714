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

    /// What `barFilter` writes.
    enum BarOutput {
        /// `dest` = bar minimum inside the region, 0 elsewhere.
        case erode
        /// `dest` = bar maximum inside the region, 0 elsewhere.
        case dilate
        /// `dest` -= bar maximum (clamped at 0) inside the region, unchanged elsewhere: the top-hat step.
        case dilateAndSubtract
    }

    /// Bar minimum or maximum of `src` in direction `dir` over the region, written as `output` says.
    func barFilter(_ src: UnsafePointer<UInt8>, _ dest: UnsafeMutablePointer<UInt8>, direction dir: SIMD2<Int>,
                   output: BarOutput, scratch: UnsafeMutablePointer<UInt8>) {
        if output != .dilateAndSubtract { dest.update(repeating: 0, count: width * height) }
        let erode = output == .erode
        let w = width, h = height
        let longest = max(w, h) + 1
        let line = scratch, filtered = scratch + longest, block = scratch + 2 * longest
        // Only lines that cross the region matter; each is walked from where it enters the frame.
        var starts: [(Int, Int)] = []
        switch (dir.x, dir.y) {
        case (1, 0): starts = (y0..<y1).map { (0, $0) }
        case (0, 1): starts = (x0..<x1).map { ($0, 0) }
        case (1, 1): starts = (0..<w).map { ($0, 0) } + (1..<h).map { (0, $0) }
        default: starts = (0..<h).map { (0, $0) } + (1..<w).map { ($0, h - 1) }
        }
        let dx = dir.x, dy = dir.y, step = dy * w + dx
        for (sx, sy) in starts {
            // Line length inside the frame.
            var n = Int.max
            if dx > 0 { n = min(n, w - sx) }
            if dy > 0 { n = min(n, h - sy) } else if dy < 0 { n = min(n, sy + 1) }
            if n < 2 * bar + 1 { continue }
            var p = src + (sy * w + sx)
            var i = 0
            while i < n { line[i] = p.pointee; p += step; i += 1 }
            if erode {
                Self.slidingMin(line, n, bar, filtered, block)
            } else {
                Self.slidingMax(line, n, bar, filtered, block)
            }
            // Write the centres that fall inside the region: c with x0 <= sx + c dx < x1 and y0 <= sy + c dy < y1.
            var lo = bar, hi = n - bar   // c in lo..<hi
            if dx > 0 { lo = max(lo, x0 - sx); hi = min(hi, x1 - sx) } else if sx < x0 || sx >= x1 { continue }
            if dy > 0 { lo = max(lo, y0 - sy); hi = min(hi, y1 - sy) }
            else if dy < 0 { lo = max(lo, sy - y1 + 1); hi = min(hi, sy - y0 + 1) }
            else if sy < y0 || sy >= y1 { continue }
            if lo >= hi { continue }
            var q = dest + (sy * w + sx) + lo * step
            var c = lo
            if output == .dilateAndSubtract {
                while c < hi {
                    let a = q.pointee, d = filtered[c]
                    q.pointee = d > a ? 0 : a &- d
                    q += step; c += 1
                }
            } else {
                while c < hi { q.pointee = filtered[c]; q += step; c += 1 }
            }
        }
    }

    /// `out[c]` = min of `a[c - r ... c + r]` for `r <= c < n - r` (van Herk / Gil-Werman, 3 comparisons per sample).
    static func slidingMin(_ a: UnsafeMutablePointer<UInt8>, _ n: Int, _ r: Int,
                           _ out: UnsafeMutablePointer<UInt8>, _ suffix: UnsafeMutablePointer<UInt8>) {
        let window = 2 * r + 1
        // suffix[i] = min(a[i ... end of i's block]); prefix minima are folded into the output pass.
        var blockStart = 0
        while blockStart < n {
            let end = min(blockStart + window, n)
            var acc = a[end - 1]
            suffix[end - 1] = acc
            var k = end - 2
            while k >= blockStart { let v = a[k]; if v < acc { acc = v }; suffix[k] = acc; k -= 1 }
            blockStart = end
        }
        // prefix minimum of the block holding c + r, running as c advances.
        var prefix: UInt8 = 255
        var c = r
        while c + r < n {
            let j = c + r
            if j % window == 0 { prefix = a[j] } else { let v = a[j]; if v < prefix { prefix = v } }
            if c == r {  // first centre: build the prefix of j's block from its start
                var p: UInt8 = 255
                var k = j - j % window
                while k <= j { let v = a[k]; if v < p { p = v }; k += 1 }
                prefix = p
            }
            let s = suffix[c - r]
            out[c] = s < prefix ? s : prefix
            c += 1
        }
    }

    /// `out[c]` = max of `a[c - r ... c + r]` for `r <= c < n - r`.
    static func slidingMax(_ a: UnsafeMutablePointer<UInt8>, _ n: Int, _ r: Int,
                           _ out: UnsafeMutablePointer<UInt8>, _ suffix: UnsafeMutablePointer<UInt8>) {
        let window = 2 * r + 1
        var blockStart = 0
        while blockStart < n {
            let end = min(blockStart + window, n)
            var acc = a[end - 1]
            suffix[end - 1] = acc
            var k = end - 2
            while k >= blockStart { let v = a[k]; if v > acc { acc = v }; suffix[k] = acc; k -= 1 }
            blockStart = end
        }
        var prefix: UInt8 = 0
        var c = r
        while c + r < n {
            let j = c + r
            if j % window == 0 { prefix = a[j] } else { let v = a[j]; if v > prefix { prefix = v } }
            if c == r {
                var p: UInt8 = 0
                var k = j - j % window
                while k <= j { let v = a[k]; if v > p { p = v }; k += 1 }
                prefix = p
            }
            let s = suffix[c - r]
            out[c] = s > prefix ? s : prefix
            c += 1
        }
    }

    /// `dest` = min (`erode`) or max of `src` over the disc, inside the region; 0 elsewhere.
    /// Returns the largest value written.
    @discardableResult
    func discFilter(_ src: UnsafePointer<UInt8>, _ dest: UnsafeMutablePointer<UInt8>, erode: Bool) -> UInt8 {
        dest.update(repeating: 0, count: width * height)
        let w = width
        let offsets = disc.map { $0.y * w + $0.x }
        var largest: UInt8 = 0
        offsets.withUnsafeBufferPointer { off in
            let count = off.count
            let o = off.baseAddress!
            var y = y0
            while y < y1 {
                var x = x0
                var p = src + (y * w + x)
                var q = dest + (y * w + x)
                while x < x1 {
                    var v: UInt8
                    var k = 0
                    if erode {
                        v = 255
                        while k < count { let s = p[o[k]]; if s < v { v = s; if v == 0 { break } }; k += 1 }
                    } else {
                        v = 0
                        while k < count { let s = p[o[k]]; if s > v { v = s; if v == 255 { break } }; k += 1 }
                    }
                    q.pointee = v
                    if v > largest { largest = v }
                    x += 1; p += 1; q += 1
                }
                y += 1
            }
        }
        return largest
    }
}
