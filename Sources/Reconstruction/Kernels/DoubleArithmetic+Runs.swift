import PasteKernels

extension DoubleArithmetic {
    /// One axis of a row's voxel coordinate, `base + x * step`, rounded as PLUS rounds it and
    /// stepped from one change of its rounded value to the next instead of pixel by pixel.
    ///
    /// Along a row the rounded coordinate is monotone in x (a rounded product, a rounded sum and
    /// a monotone rounding), so the pixels that share it form an interval. `next` is the first
    /// pixel after the current one where it changes: estimated from the boundary's position and
    /// then corrected with the exact per-pixel arithmetic, so it equals what pixel-by-pixel
    /// evaluation gives. Valid where every evaluated pixel is in the grid (`nearestRange`), which
    /// keeps the coordinates in `PlusRounding.roundBits`'s range.
    struct RunAxis {
        private let base: Double
        private let step: Double
        /// 1 / step and its magnitude (only an estimate's factors).
        private let inverse: Double
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
        /// Where along the row the coordinate reaches `boundary`, plus 0.5, in pixels (an
        /// estimate, moved on by `pixelsPerVoxel` per boundary).
        private var estimate = 0.0
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
            estimate = (boundary - base) * inverse + 0.5
            findNext()
        }

        /// Moves on to the next rounded coordinate (one voxel on; the run at it may be empty
        /// when the axis steps over a voxel between two pixels).
        @inline(__always)
        mutating func advance() {
            boundary += direction
            estimate += pixelsPerVoxel
            offset &+= strideStep
            findNext()
        }

        /// `next` for the current boundary. The search depends on the boundary only, not on
        /// where the previous run ended, so successive searches overlap in the processor.
        @inline(__always)
        private mutating func findNext() {
            guard direction != 0 else { next = Int.max; return }
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
