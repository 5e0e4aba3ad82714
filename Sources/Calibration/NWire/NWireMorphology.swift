/// Grey-level morphology on 8-bit frames restricted to a region of interest, as PLUS's
/// `PlusFidSegmentation` does it: outputs are zero outside the region, inputs are read around it.
///
/// Bar (line) erosions and dilations run in O(1) per pixel with the van Herk / Gil-Werman
/// algorithm; the disc is small (a few pixels) and done directly.
///
/// Frames and scratch space are buffer pointers indexed with integer offsets, so every access is
/// bounds-checked in debug builds (release builds index them as fast as raw pointers).
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
    /// `scratch` holds at least `scratchCount(width:height:)` bytes.
    func barFilter(_ src: UnsafeBufferPointer<UInt8>, _ dest: UnsafeMutableBufferPointer<UInt8>, direction dir: SIMD2<Int>,
                   output: BarOutput, scratch: UnsafeMutableBufferPointer<UInt8>) {
        let w = width, h = height
        precondition(src.count >= w * h && dest.count >= w * h && scratch.count >= Self.scratchCount(width: w, height: h),
                     "NWireMorphology buffers too small for \(w)x\(h)")
        if output != .dilateAndSubtract { dest.update(repeating: 0) }
        if dir.y != 0 {
            // Vertical and diagonal bars: van Herk over row blocks, whole rows at a time (cache friendly).
            rowBlockBarFilter(src, dest, shift: dir.y * dir.x, output: output,
                              prefix: UnsafeMutableBufferPointer(rebasing: scratch[0..<(w * h)]),
                              suffix: UnsafeMutableBufferPointer(rebasing: scratch[(w * h)..<(2 * w * h)]))
            return
        }
        // Horizontal bars: each region row is copied out, filtered and written back.
        let erode = output == .erode
        let longest = max(w, h) + 1
        let base = 2 * w * h
        let line = UnsafeMutableBufferPointer(rebasing: scratch[base..<(base + longest)])
        let filtered = UnsafeMutableBufferPointer(rebasing: scratch[(base + longest)..<(base + 2 * longest)])
        let block = UnsafeMutableBufferPointer(rebasing: scratch[(base + 2 * longest)..<(base + 3 * longest)])
        let n = w
        guard n >= 2 * bar + 1 else { return }
        let lo = max(bar, x0), hi = min(n - bar, x1)   // centres written: x in lo..<hi
        guard lo < hi else { return }
        var y = y0
        while y < y1 {
            let row = y * w
            var i = 0
            while i < n { line[i] = src[row + i]; i += 1 }
            if erode {
                Self.slidingMin(line, n, bar, filtered, block)
            } else {
                Self.slidingMax(line, n, bar, filtered, block)
            }
            var c = lo
            if output == .dilateAndSubtract {
                while c < hi {
                    let a = dest[row + c], d = filtered[c]
                    dest[row + c] = d > a ? 0 : a &- d
                    c += 1
                }
            } else {
                while c < hi { dest[row + c] = filtered[c]; c += 1 }
            }
            y += 1
        }
    }

    /// Scratch bytes `barFilter` needs for a `width` x `height` frame: two frames for the row-block
    /// runs and three lines for horizontal bars.
    static func scratchCount(width: Int, height: Int) -> Int { 2 * width * height + 3 * (max(width, height) + 1) }

    /// Bars along `(shift, 1)` per row step (shift 0 vertical, +1 down-right, -1 down-left): the line
    /// through a pixel is partitioned into blocks of `2 * bar + 1` rows; `prefix` and `suffix` hold the
    /// running extrema inside each block, so each centre needs one comparison (van Herk / Gil-Werman).
    private func rowBlockBarFilter(_ src: UnsafeBufferPointer<UInt8>, _ dest: UnsafeMutableBufferPointer<UInt8>, shift s: Int,
                                   output: BarOutput, prefix: UnsafeMutableBufferPointer<UInt8>, suffix: UnsafeMutableBufferPointer<UInt8>) {
        let w = width, b = bar, window = 2 * bar + 1
        let erode = output == .erode
        let ya = y0 - b, yb = y1 + b   // rows the region's bars touch (inside the frame by construction)
        precondition(ya >= 0 && yb <= height && x0 - b * abs(s) >= 0 && x1 + b * abs(s) <= w, "bar region outside the frame")
        // Column range of a row whose predecessor on the line (x - s, previous row) exists.
        let xs = max(0, s), xe = min(w, w + s)
        var y = ya
        while y < yb {
            let row = y * w
            if y == ya || y % window == 0 {
                var x = 0
                while x < w { prefix[row + x] = src[row + x]; x += 1 }
            } else {
                Self.extendRun(src, row, prefix, previous: row - w - s, linked: xs..<xe, width: w, erode: erode)
            }
            y += 1
        }
        // Successor of (x, y) on the line is (x + s, y + 1).
        let us = max(0, -s), ue = min(w, w - s)
        y = yb - 1
        while y >= ya {
            let row = y * w
            if y == yb - 1 || y % window == window - 1 {
                var x = 0
                while x < w { suffix[row + x] = src[row + x]; x += 1 }
            } else {
                Self.extendRun(src, row, suffix, previous: row + w + s, linked: us..<ue, width: w, erode: erode)
            }
            y -= 1
        }
        // Centre (x, y): suffix from (x - b s, y - b) and prefix up to (x + b s, y + b).
        y = y0
        while y < y1 {
            let sRow = (y - b) * w - b * s, pRow = (y + b) * w + b * s, out = y * w
            var x = x0
            switch output {
            case .erode:
                while x < x1 { let u = suffix[sRow + x], v = prefix[pRow + x]; dest[out + x] = u < v ? u : v; x += 1 }
            case .dilate:
                while x < x1 { let u = suffix[sRow + x], v = prefix[pRow + x]; dest[out + x] = u > v ? u : v; x += 1 }
            case .dilateAndSubtract:
                while x < x1 {
                    let u = suffix[sRow + x], v = prefix[pRow + x], d = u > v ? u : v, o = dest[out + x]
                    dest[out + x] = d > o ? 0 : o &- d
                    x += 1
                }
            }
            y += 1
        }
    }

    /// One row of a running extremum in `run`: `run[row + x]` = extremum of `a[row + x]` and
    /// `run[previous + x]` where the line continues (`linked`), `a[row + x]` where it starts.
    private static func extendRun(_ a: UnsafeBufferPointer<UInt8>, _ row: Int, _ run: UnsafeMutableBufferPointer<UInt8>, previous: Int,
                                  linked: Range<Int>, width w: Int, erode: Bool) {
        var x = 0
        while x < linked.lowerBound { run[row + x] = a[row + x]; x += 1 }
        let end = linked.upperBound
        if erode {
            while x < end { let u = a[row + x], v = run[previous + x]; run[row + x] = u < v ? u : v; x += 1 }
        } else {
            while x < end { let u = a[row + x], v = run[previous + x]; run[row + x] = u > v ? u : v; x += 1 }
        }
        while x < w { run[row + x] = a[row + x]; x += 1 }
    }
    /// `out[c]` = min of `a[c - r ... c + r]` for `r <= c < n - r` (van Herk / Gil-Werman, 3 comparisons per sample).
    static func slidingMin(_ a: UnsafeMutableBufferPointer<UInt8>, _ n: Int, _ r: Int,
                           _ out: UnsafeMutableBufferPointer<UInt8>, _ suffix: UnsafeMutableBufferPointer<UInt8>) {
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
        var offset = (2 * r) % window   // position of c + r inside its block
        while c + r < n {
            let j = c + r
            if offset == 0 { prefix = a[j] } else { let v = a[j]; if v < prefix { prefix = v } }
            offset += 1
            if offset == window { offset = 0 }
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
    static func slidingMax(_ a: UnsafeMutableBufferPointer<UInt8>, _ n: Int, _ r: Int,
                           _ out: UnsafeMutableBufferPointer<UInt8>, _ suffix: UnsafeMutableBufferPointer<UInt8>) {
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
        var offset = (2 * r) % window   // position of c + r inside its block
        while c + r < n {
            let j = c + r
            if offset == 0 { prefix = a[j] } else { let v = a[j]; if v > prefix { prefix = v } }
            offset += 1
            if offset == window { offset = 0 }
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
    func discFilter(_ src: UnsafeBufferPointer<UInt8>, _ dest: UnsafeMutableBufferPointer<UInt8>, erode: Bool) -> UInt8 {
        precondition(src.count >= width * height && dest.count >= width * height, "NWireMorphology buffers too small")
        dest.update(repeating: 0)
        let w = width
        let offsets = disc.map { $0.y * w + $0.x }
        var largest: UInt8 = 0
        offsets.withUnsafeBufferPointer { o in
            let count = o.count
            var y = y0
            while y < y1 {
                var x = x0
                var p = y * w + x
                while x < x1 {
                    var v: UInt8
                    var k = 0
                    if erode {
                        v = 255
                        while k < count { let s = src[p + o[k]]; if s < v { v = s; if v == 0 { break } }; k += 1 }
                    } else {
                        v = 0
                        while k < count { let s = src[p + o[k]]; if s > v { v = s; if v == 255 { break } }; k += 1 }
                    }
                    dest[p] = v
                    if v > largest { largest = v }
                    x += 1; p += 1
                }
                y += 1
            }
        }
        return largest
    }
}
