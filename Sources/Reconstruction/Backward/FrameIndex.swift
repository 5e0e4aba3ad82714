import Imaging

/// The acceleration structure of the backward methods: for every output z slice, the frames
/// (in acquisition order) whose plane, thickened by the maximum distance, can reach a voxel of
/// that slice, with each frame's y range. A voxel row then visits only those frames, and for
/// each solves for the run of voxels within reach in closed form.
struct FrameIndex: Sendable {
    /// Per z slice, indices into the frame array, ascending.
    let slices: [[Int32]]
    /// Per frame, the voxel rows (y) it can reach.
    let rowRange: [ClosedRange<Int>]

    /// Most (slice, frame) entries the index may hold.
    static let maximumEntries = 1 << 28

    /// Indexes `frames` over `grid` for frames within `reach` mm of a voxel.
    init(frames: [BackwardFrame], grid: VolumeGeometry, reach: Double) throws(ReconstructionError) {
        let dims = grid.dimensions
        var slices = [[Int32]](repeating: [], count: dims.z)
        var rows: [ClosedRange<Int>] = []
        rows.reserveCapacity(frames.count)
        var entries = 0
        for (i, frame) in frames.enumerated() {
            var lo = SIMD3<Double>(repeating: .infinity), hi = SIMD3<Double>(repeating: -.infinity)
            for c in frame.corners {
                let v = (c - grid.origin) / grid.spacing
                lo = pointwiseMin(lo, v); hi = pointwiseMax(hi, v)
            }
            let pad = reach / grid.spacing + 1
            lo -= pad; hi += pad
            func range(_ axis: Int) -> ClosedRange<Int>? {
                let n = dims[axis]
                guard lo[axis].isFinite, hi[axis].isFinite, hi[axis] >= 0, lo[axis] <= Double(n - 1) else { return nil }
                return max(0, Int(lo[axis].rounded(.down)))...min(n - 1, Int(hi[axis].rounded(.up)))
            }
            guard let x = range(0), let y = range(1), let z = range(2), !x.isEmpty else {
                rows.append(0...0)
                continue
            }
            entries += z.count
            guard entries <= Self.maximumEntries else {
                throw .invalidGrid("the frame index of the backward method would hold more than \(Self.maximumEntries) entries; increase OutputSpacing or lower FreehandMaxDistanceMm")
            }
            rows.append(y)
            for k in z { slices[k].append(Int32(i)) }
        }
        self.slices = slices
        self.rowRange = rows
    }
}
