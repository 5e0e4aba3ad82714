import PasteKernels

extension PixelMask {
    /// Row `row`'s pixels in `x0...x1` that PLUS's unoptimized paster (Optimization NONE) keeps,
    /// with its per-pixel test: with x, y the pixel's offset from the fan origin, a pixel is
    /// dropped when y < 0, x / y < tan(left) or x / y > tan(right) (at y = 0 only x = 0 passes,
    /// through 0 / 0 = NaN), and when x² + y² lies below the squared start radius or above the
    /// squared stop radius. There is no inset at the edges, unlike the optimized paster's rows.
    ///
    /// Each test is monotone along the row (x / y grows with the column for y >= 0, x² + y²
    /// falls up to the fan origin's column and grows after it, in floating point too), so the
    /// kept pixels are found by binary searches with that exact arithmetic: an interval, less the
    /// pixels inside the start radius (`skip`), which may cut it in two.
    static func fanRow(perPixel row: Int, _ x0: Int, _ x1: Int, origin: SIMD2<Double>, tangents: SIMD2<Double>,
                       squaredRadii: SIMD2<Double>) -> (start: Int, end: Int, skip: (Int, Int)?) {
        let y = Double(row) - origin.y
        guard !(y < 0), x0 <= x1 else { return (0, -1, nil) }
        @inline(__always) func ratio(_ i: Int) -> Double { (Double(i) - origin.x) / y }
        @inline(__always) func squaredDistance(_ i: Int) -> Double {
            let x = Double(i) - origin.x
            return x * x + y * y
        }
        // The wedge: !(x / y < left) holds from some column on, !(x / y > right) up to one.
        let s = firstTrue(x0, x1) { !(ratio($0) < tangents.x) }
        let e = firstTrue(s, x1) { ratio($0) > tangents.y } - 1
        guard s <= e else { return (0, -1, nil) }
        // Columns up to `centre` lie left of the fan origin (x <= 0), the others right of it.
        let centre = min(max(PlusRounding.floor(origin.x), s - 1), e)
        /// The columns of s...e where `inside` holds, for a test that holds on one interval
        /// around the origin's column.
        func around(_ inside: (Double) -> Bool) -> (Int, Int) {
            let a = firstTrue(s, centre) { inside(squaredDistance($0)) }
            let b = firstTrue(centre + 1, e) { !inside(squaredDistance($0)) } - 1
            return (a, b)
        }
        let (a, b) = around { !($0 > squaredRadii.y) }
        guard a <= b else { return (0, -1, nil) }
        let (ks, ke) = around { $0 < squaredRadii.x }
        return (a, b, ks <= ke ? (ks, ke) : nil)
    }

    /// The first column of `lo...hi` where `p` holds, for `p` false and then true along the
    /// columns; `hi + 1` when it never holds (also when the range is empty).
    private static func firstTrue(_ lo: Int, _ hi: Int, _ p: (Int) -> Bool) -> Int {
        var lo = lo, hi = hi + 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if p(mid) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
