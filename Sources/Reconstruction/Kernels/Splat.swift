import Imaging

/// How one pixel is spread into the voxels (PLUS's Interpolation): into the nearest voxel, or
/// over the eight voxels around it by trilinear weight.
protocol Splat {
    /// The pixels of `row` that may land in the arithmetic's slab.
    static func range<A: PasteArithmetic>(_ a: A, row: Int, width: Int) -> (first: Int, last: Int)
    /// Pastes the pixel at `cursor` with compounding `C`; returns the number of voxels updated
    /// and adds accumulation overflows to `overflow`.
    static func paste<V: PasteVoxel, A: PasteArithmetic, C: Compounding>(_ a: A, _ cursor: A.Cursor, _ value: V, _ importance: Int,
                                                                        _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>,
                                                                        _: C.Type, _ overflow: inout Int) -> Int
}

/// NEAREST_NEIGHBOR.
enum NearestSplat: Splat {
    @inline(__always)
    static func range<A: PasteArithmetic>(_ a: A, row: Int, width: Int) -> (first: Int, last: Int) {
        a.nearestRange(row: row, width: width)
    }

    @inline(__always)
    static func paste<V: PasteVoxel, A: PasteArithmetic, C: Compounding>(_ a: A, _ cursor: A.Cursor, _ value: V, _ importance: Int,
                                                                        _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>,
                                                                        _: C.Type, _ overflow: inout Int) -> Int {
        guard let i = a.nearestVoxel(cursor) else { return 0 }
        overflow &+= C.nearest(out, acc, i, value, importance)
        return 1
    }
}

/// LINEAR: PLUS's trilinear splatting. Corner weights are `wx * (wy * wz)` in the arithmetic's
/// rounding; corners of zero weight and corners outside the slab are skipped. PLUS visits the
/// corners in another order, but each is a different voxel, so only the set of updates matters.
enum LinearSplat: Splat {
    @inline(__always)
    static func range<A: PasteArithmetic>(_ a: A, row: Int, width: Int) -> (first: Int, last: Int) {
        a.linearRange(row: row, width: width)
    }

    @inline(__always)
    static func paste<V: PasteVoxel, A: PasteArithmetic, C: Compounding>(_ a: A, _ cursor: A.Cursor, _ value: V, _ importance: Int,
                                                                        _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>,
                                                                        _: C.Type, _ overflow: inout Int) -> Int {
        guard let c = a.linearCell(cursor) else { return 0 }
        let slab = a.slab
        let rx = A.complement(c.fx), ry = A.complement(c.fy)
        var n = 0
        @inline(__always)
        func corner(_ w: A.Weight, _ i: Int) {
            guard !A.isZero(w) else { return }
            overflow &+= C.linear(A.self, out, acc, i, value, w, importance)
            n &+= 1
        }
        if c.z1 >= slab.lowerBound && c.z1 <= slab.upperBound {
            let ryfz = A.multiply(ry, c.fz), fyfz = A.multiply(c.fy, c.fz)
            let b = c.base &+ c.dz
            corner(A.multiply(c.fx, fyfz), b &+ c.dx &+ c.dy)
            corner(A.multiply(c.fx, ryfz), b &+ c.dx)
            corner(A.multiply(rx, fyfz), b &+ c.dy)
            corner(A.multiply(rx, ryfz), b)
        }
        if c.z0 >= slab.lowerBound && c.z0 <= slab.upperBound {
            let rz = A.complement(c.fz)
            let ryrz = A.multiply(ry, rz), fyrz = A.multiply(c.fy, rz)
            let b = c.base
            corner(A.multiply(c.fx, fyrz), b &+ c.dx &+ c.dy)
            corner(A.multiply(c.fx, ryrz), b &+ c.dx)
            corner(A.multiply(rx, fyrz), b &+ c.dy)
            corner(A.multiply(rx, ryrz), b)
        }
        return n
    }
}
