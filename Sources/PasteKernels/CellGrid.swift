import Imaging

/// The grid a held cell lives in: the voxel values and accumulations, the grid's size and
/// strides, and the z layers of the slab being pasted.
struct CellGrid {
    let out: SharedBuffer<UInt8>
    let acc: SharedBuffer<UInt16>
    let dimensions: SIMD3<Int>
    let strideY: Int
    let strideZ: Int
    let slab: ClosedRange<Int>

    init(out: SharedBuffer<UInt8>, acc: SharedBuffer<UInt16>, dimensions: SIMD3<Int>, slab: ClosedRange<Int>) {
        self.out = out
        self.acc = acc
        self.dimensions = dimensions
        strideY = dimensions.x
        strideZ = dimensions.x * dimensions.y
        self.slab = slab
    }

    /// The voxels of the cell whose first voxel is `b`: far (x + 1) and near (x), lanes [z + 1
    /// and y + 1, z + 1, y + 1, the cell's own y and z].
    @inline(__always)
    func corners(_ b: Int) -> (far: SIMD4<Int>, near: SIMD4<Int>) {
        let b1 = b &+ strideZ
        let far = SIMD4(b1 &+ 1 &+ strideY, b1 &+ 1, b &+ 1 &+ strideY, b &+ 1)
        return (far, far &- 1)
    }
}
