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
        /// 1 / step (only an estimate's factor).
        private let inverse: Double
        /// The rounding boundary ahead of a rounded coordinate: +0.5 for a rising axis, -0.5 falling.
        private let half: Double
        private let stride: Int
        /// `roundBits` of the current pixel's coordinate, and of pixel `next`.
        private var bits = 0
        private var nextBits = 0
        /// The first pixel after the current one whose rounded coordinate differs (Int.max: none).
        private(set) var next = Int.max
        /// The rounded coordinate times the axis's voxel stride.
        private(set) var offset = 0

        init(base: Double, step: Double, stride: Int) {
            self.base = base
            self.step = step
            self.stride = stride
            inverse = step != 0 ? 1 / step : 0
            half = step < 0 ? -0.5 : 0.5
        }

        /// `PlusRounding.roundBits` of pixel x's coordinate: the per-pixel arithmetic, exactly.
        @inline(__always)
        private func bits(at x: Int) -> Int { PlusRounding.roundBits(base + Double(x) * step) }

        /// Starts at pixel `x` of a segment ending at `last`.
        @inline(__always)
        mutating func start(at x: Int, last: Int) {
            bits = bits(at: x)
            offset = (bits &- PlusRounding.roundBitsBias) &* stride
            findNext(after: x, last: last)
        }

        /// Moves to pixel `next` (which must be at most `last`), the start of the next run.
        @inline(__always)
        mutating func advance(last: Int) {
            let x = next
            bits = nextBits
            offset = (bits &- PlusRounding.roundBitsBias) &* stride
            findNext(after: x, last: last)
        }

        /// Sets `next` to the first pixel in x+1...last whose rounded coordinate differs from
        /// pixel x's (`last` + 1 when none does; Int.max for a constant axis).
        @inline(__always)
        private mutating func findNext(after x: Int, last: Int) {
            guard step != 0 else { next = Int.max; return }
            // The boundary's fractional pixel position, plus one, clamped to x+1...last+1 in
            // double precision (NaN and infinities land on x+1), then truncated.
            var q = (Double(bits &- PlusRounding.roundBitsBias) + half - base) * inverse + 1
            let lo = Double(x &+ 1), hi = Double(last &+ 1)
            if !(q > lo) { q = lo }
            if !(q < hi) { q = hi }
            var p = Int(q)
            // Usually exact: pixel p-1 keeps the value (x itself when p = x+1) and p changes it.
            // p = last+1 may lie outside the grid; its value is only compared, never used then.
            let before = bits(at: p &- 1), at = bits(at: p)
            if before == bits && at != bits {
                next = p
                nextBits = at
                return
            }
            // Monotone: step back while p-1 already changed, forward while p has not.
            while p > x &+ 1 && bits(at: p &- 1) != bits { p &-= 1 }
            while p <= last && bits(at: p) == bits { p &+= 1 }
            next = p
            nextBits = p <= last ? bits(at: p) : 0
        }
    }

    /// The three axes of `row`'s coordinates; nil when the grid is too large for
    /// `PlusRounding.roundBits` (then the per-pixel walker applies).
    @inline(__always)
    func runAxes(row: Int) -> (x: RunAxis, y: RunAxis, z: RunAxis)? {
        guard nearGrid else { return nil }
        let p = cursor(row: row, x: 0).row, d = mapping.xAxis
        return (RunAxis(base: p.x, step: d.x, stride: 1), RunAxis(base: p.y, step: d.y, stride: strideY),
                RunAxis(base: p.z, step: d.z, stride: strideZ))
    }
}
