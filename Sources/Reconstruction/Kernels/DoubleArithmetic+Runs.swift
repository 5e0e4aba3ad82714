import PasteKernels

extension DoubleArithmetic {
    /// One axis of a row's voxel coordinate, `base + x * step`, rounded as PLUS rounds it and
    /// stepped from one change of its rounded value to the next instead of pixel by pixel.
    ///
    /// Along a row the rounded coordinate is monotone in x (a rounded product, a rounded sum and
    /// a monotone rounding), so the pixels that share it form an interval. `next` is the first
    /// pixel after the current one where it changes, which equals what pixel-by-pixel
    /// evaluation gives: t = x* + 0.5, for the boundary's real crossing x* = (boundary - base) /
    /// step, moves by exactly 1 / |step| per boundary, so it is stepped in 32.32 fixed point
    /// (`scaled`), and the first pixel past the boundary is ceil(x*) = round(t) whenever t is
    /// further from a tie than a bound on its error plus the per-pixel arithmetic's (`margin`,
    /// with a wide margin of its own); otherwise, and at the segment's ends, the per-pixel
    /// arithmetic itself decides, starting from a double-precision estimate. Valid where every
    /// evaluated pixel is in the grid (`nearestRange`), which keeps the coordinates in
    /// `PlusRounding.roundBits`'s range.
    struct RunAxis: NearestRunAxis {
        private let base: Double
        private let step: Double
        /// 1 / step.
        private let inverse: Double
        /// |1 / step|: pixels per voxel along this axis.
        private let pixelsPerVoxel: Double
        /// Whether the coordinate falls along the row (then "past" means below the boundary).
        private let falling: Bool
        /// +1 or -1 (0 for a constant coordinate): how the rounded coordinate moves.
        private let direction: Double
        private let strideStep: Int
        private let stride: Int
        /// The boundary past the current rounded coordinate r: the coordinates c with
        /// `roundBits(c) > roundBits(r)` are exactly c >= r + 0.5 - 2^-17, and those with
        /// `roundBits(c) < roundBits(r)` exactly c < r - 0.5 - 2^-17 (`roundBits`'s sum
        /// rounds to a multiple of 2^-16, ties to the even integer). Exact for |r| below 2^30.
        private var boundary = 0.0
        /// Whether `scaled` steps t in fixed point in this segment.
        private var stepping = false
        /// t times 2^32 plus 2^31 (round(t) is its upper half), within `margin` of the exact value.
        private var scaled = 0
        /// 1 / |step| times 2^32: how `scaled` moves per boundary.
        private var scaledStep = 0
        /// The bound on `scaled`'s error plus the per-pixel arithmetic's, in units of 2^-32 pixel.
        private var margin = 0
        /// The segment's first and last pixel.
        private var first = 0
        private var last = 0
        /// The first pixel whose rounded coordinate is past the current one (`last` + 1 when
        /// none in the segment is; Int.max for a constant axis).
        private(set) var next = Int.max
        /// The rounded coordinate times the axis's voxel stride.
        private(set) var offset = 0

        init(base: Double, step: Double, stride: Int) {
            self.base = base
            self.step = step
            self.stride = stride
            inverse = step != 0 ? 1 / step : 0
            pixelsPerVoxel = abs(inverse)
            falling = step < 0
            direction = step > 0 ? 1 : (step < 0 ? -1 : 0)
            strideStep = Int(direction) &* stride
        }

        private static let bitsOf2p52 = Int(truncatingIfNeeded: (0x1p52 as Double).bitPattern)

        /// The magnitude of the coordinate's change per pixel.
        var speed: Double { abs(step) }

        /// Pixel x's coordinate: the per-pixel arithmetic, exactly.
        @inline(__always)
        private func coordinate(_ x: Int) -> Double { base + Double(x) * step }

        /// Whether pixel x's rounded coordinate is past the current one.
        @inline(__always)
        private func isPast(_ x: Int) -> Bool { (coordinate(x) >= boundary) != falling }

        /// Starts at the first pixel of segment `first...last`.
        @inline(__always)
        mutating func start(first: Int, last: Int) {
            self.first = first
            self.last = last
            let r = PlusRounding.roundBits(coordinate(first)) &- PlusRounding.roundBitsBias
            boundary = Double(r) + (direction * 0.5 - 0x1p-17)
            offset = r &* stride
            // Errors, in units of 2^-32 pixel, where round(t) is a pixel x of first+1...last+1:
            // the start's estimate (a difference, a reciprocal, a product, a sum: under
            // 2^-51 (|x*| + 1) pixels, so under 2^-19 `scale`) and its truncation (under 1), then
            // under 1.5 a boundary (the truncation of 1 / |step|, and 1 / |step|'s own rounding,
            // 2^-53 relative) over at most (last - first + 2) |step| boundaries; and the per-pixel
            // coordinate's (a product and a sum, divided by |step|: under 2^-53 (2 |x| + |base| /
            // |step|) pixels, so under 2^-18 `scale`). `margin` is over 4 times their sum.
            let scale = Double(max(abs(first), abs(last))) + 2 + abs(base) * pixelsPerVoxel
            let estimate = (boundary - base) * inverse + 0.5
            let bound = scale * 0x1p-14 + 4 * (Double(last &- first) + 3) * speed + 0x1p12
            stepping = direction != 0 && scale < 0x1p30 && pixelsPerVoxel < 0x1p20 && abs(estimate) < 0x1p30
                && bound < 0x1p28
            if stepping {
                scaled = Int(estimate * 0x1p32) &+ (1 << 31)
                scaledStep = Int(pixelsPerVoxel * 0x1p32)
                margin = Int(bound)
            }
            findNext()
        }

        /// Moves on to the next rounded coordinate (one voxel on; the run at it may be empty
        /// when the axis steps over a voxel between two pixels).
        @inline(__always)
        mutating func advance() {
            boundary += direction
            scaled &+= scaledStep
            offset &+= strideStep
            findNext()
        }

        /// `next` for the current boundary. The search depends on the boundary only, not on
        /// where the previous run ended, so successive searches overlap in the processor.
        @inline(__always)
        private mutating func findNext() {
            guard direction != 0 else { next = Int.max; return }
            if stepping {
                // Further than `margin` from a tie and in first+1...last+1: round(t) is exact.
                let rounded = scaled >> 32, fraction = scaled & 0xffff_ffff
                if UInt(bitPattern: fraction &- margin) < UInt(bitPattern: (1 << 32) &- 2 &* margin)
                    && UInt(bitPattern: rounded &- first &- 1) < UInt(bitPattern: last &- first &+ 1) {
                    next = rounded
                    return
                }
            }
            let estimate = (boundary - base) * inverse + 0.5
            // The first pixel past the boundary's fractional position t, floor(t) + 1, is
            // t + 0.5 rounded (off by one at worst, on ties): the low bits of t + 0.5 + 2^52, a
            // monotone bit pattern for any double (negatives, infinities and NaN land outside
            // the segment and are clamped to it).
            let rounded = Int(truncatingIfNeeded: (estimate + 0x1p52).bitPattern) &- Self.bitsOf2p52
            var p = min(max(rounded, first &+ 1), last &+ 1)
            // Usually exact: pixel p-1 is not past and p is. p = last+1 may lie outside the
            // grid; its coordinate then decides nothing.
            if !isPast(p &- 1) && isPast(p) {
                next = p
                return
            }
            // Monotone: step back while p-1 is already past, forward while p is not.
            while p > first &+ 1 && isPast(p &- 1) { p &-= 1 }
            while p <= last && !isPast(p) { p &+= 1 }
            next = p
        }
    }

    /// The three axes of `row`'s coordinates, the fastest-changing first; nil when the grid
    /// is too large for `PlusRounding.roundBits` (then the per-pixel walker applies).
    @inline(__always)
    func runAxes(row: Int) -> (RunAxis, RunAxis, RunAxis)? {
        guard nearGrid else { return nil }
        let p = cursor(row: row, x: 0).row, d = mapping.xAxis
        var a = RunAxis(base: p.x, step: d.x, stride: 1), b = RunAxis(base: p.y, step: d.y, stride: strideY)
        var c = RunAxis(base: p.z, step: d.z, stride: strideZ)
        if b.speed > a.speed { swap(&a, &b) }
        if c.speed > a.speed { swap(&a, &c) }
        return (a, b, c)
    }
}
