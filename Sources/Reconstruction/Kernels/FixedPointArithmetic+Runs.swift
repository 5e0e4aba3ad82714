extension FixedPointArithmetic {
    /// One axis of a row's fixed-point voxel position, stepped from one change of its nearest
    /// voxel to the next instead of pixel by pixel (FULL optimization's nearest neighbour).
    ///
    /// Pixel x's position plus one half is `q(x) = q0 + x * d` in exact integers and its voxel is
    /// `q(x) >> 14`, as `nearestVoxel` rounds it. For d > 0 the next change is the first pixel
    /// with q at or past the boundary B = (voxel + 1) * 2^14: `ceil((B - q) / d)` pixels on,
    /// found once per segment by a division and then by Bresenham's recurrence: with the
    /// excess e = q(next) - B in 0..<d and 2^14 = Q d + R, the following boundary is Q pixels on
    /// when e >= R (new excess e - R) and Q + 1 when e < R (new excess e - R + d); Q = 0 (a
    /// pixel longer than a voxel) gives empty runs. For d < 0 the same runs on ~q, which rises
    /// by -d, because `~q >> 14 == ~(q >> 14)`: each step is one voxel down.
    struct RunAxis: NearestRunAxis {
        /// |d|.
        private let step: Int
        private let quotient: Int
        private let remainder: Int
        /// Whether d < 0 (the axis runs on ~q).
        private let falling: Bool
        private let stride: Int
        /// The voxel offset's change per boundary: +stride or -stride.
        private let strideStep: Int
        /// q(next) - the boundary, in 0..<step (in ~q's terms when falling).
        private var excess = 0
        /// The first pixel in the next voxel (Int.max for a constant axis).
        private(set) var next = Int.max
        /// The current voxel times the axis's stride.
        private(set) var offset = 0

        init(step d: Int, stride: Int) {
            step = d.magnitude <= UInt(Int.max) ? abs(d) : Int.max
            quotient = step != 0 ? FixedPoint.one / step : 0
            remainder = step != 0 ? FixedPoint.one % step : 0
            falling = d < 0
            self.stride = stride
            strideStep = falling ? -stride : stride
        }

        /// The magnitude of the position's change per pixel.
        var speed: Int { step }

        /// Starts at pixel `first`, whose position plus one half is `q0`.
        @inline(__always)
        mutating func start(first: Int, position q0: Int) {
            let voxel = q0 >> 14
            offset = voxel &* stride
            guard step != 0 else { next = Int.max; return }
            let q = falling ? ~q0 : q0
            // 1...2^14 to the boundary past q's voxel, so at least one pixel on.
            let gap = (((q >> 14) &+ 1) << 14) &- q
            let pixels = (gap &+ step &- 1) / step
            next = first &+ pixels
            excess = pixels &* step &- gap
        }

        /// Moves on to the next voxel (its run may be empty when a pixel spans voxels).
        @inline(__always)
        mutating func advance() {
            offset &+= strideStep
            let short = excess < remainder
            next &+= short ? quotient &+ 1 : quotient
            excess &+= short ? step &- remainder : 0 &- remainder
        }
    }

    /// The three axes of the segment starting at cursor `c` (pixel `first`), started, the
    /// fastest-changing first.
    @inline(__always)
    func runAxes(_ c: Cursor, first: Int) -> (RunAxis, RunAxis, RunAxis) {
        let half = FixedPoint.half
        var a = RunAxis(step: xAxis.x, stride: 1), b = RunAxis(step: xAxis.y, stride: strideY)
        var c3 = RunAxis(step: xAxis.z, stride: strideZ)
        a.start(first: first, position: c.x &+ half)
        b.start(first: first, position: c.y &+ half)
        c3.start(first: first, position: c.z &+ half)
        if b.speed > a.speed { swap(&a, &b) }
        if c3.speed > a.speed { swap(&a, &c3) }
        return (a, b, c3)
    }
}
