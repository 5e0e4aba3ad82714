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
}
