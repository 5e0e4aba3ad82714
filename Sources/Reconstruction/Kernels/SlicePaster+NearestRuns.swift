import Imaging

/// One axis of a row segment's nearest voxel, stepped from one change of it to the next:
/// `DoubleArithmetic.RunAxis` (PARTIAL and NONE) and `FixedPointArithmetic.RunAxis` (FULL).
protocol NearestRunAxis {
    /// The first pixel whose voxel on this axis is past the current one.
    var next: Int { get }
    /// The current voxel on this axis times its stride.
    var offset: Int { get }
    /// Moves on to the next voxel on this axis.
    mutating func advance()
}

extension SlicePaster {
    /// Pixels `s...e` of one row segment (`rowPixels`, readable below `readable`), run by run:
    /// the pixels that share a voxel are compounded into it at once by `R.paste`, in order.
    /// `fast` changes run by run, `a1` and `a2` seldom; all three start at pixel `s`. The inner
    /// loop steps `fast` alone up to the slow axes' next change, so that it holds only the fast
    /// axis and the rule in registers. Returns the accumulation overflows.
    @inline(__always)
    static func pasteRuns<A: NearestRunAxis, V: PasteVoxel, R: HeldNearestRule>(
        _ fast: inout A, _ a1: inout A, _ a2: inout A, _ s: Int, _ e: Int, _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>,
        _ rowPixels: UnsafePointer<V>, _ readable: Int, _: R.Type, _ reciprocals: UnsafePointer<UInt64>
    ) -> Int {
        var x = s, overflow = 0
        while true {
            // Up to `stop` (exclusive) the slow axes hold still.
            let stop = min(a1.next, a2.next, e &+ 1), slowOffset = a1.offset &+ a2.offset
            while true {
                let end = min(fast.next, stop)
                // Empty where the fast axis stepped over a voxel between two pixels.
                if end > x {
                    overflow &+= R.paste(out, acc, fast.offset &+ slowOffset, rowPixels, x, end, readable, reciprocals)
                    x = end
                }
                if end == stop { break }
                fast.advance()
            }
            if stop > e { break }
            if fast.next == stop { fast.advance() }
            if a1.next == stop { a1.advance() }
            if a2.next == stop { a2.advance() }
        }
        return overflow
    }
}
