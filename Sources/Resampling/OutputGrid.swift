import Geometry
import Imaging
import Registration

/// The grid `freehand resample` writes: another volume's grid, or a spacing (and optionally a
/// size) over the region the transformed input covers.
public enum OutputGrid: Sendable {
    /// Exactly this grid (e.g. read from `--reference`).
    case reference(VolumeGeometry)
    /// Voxels of `spacing` mm covering the transformed input; `size` fixes the voxel counts
    /// (centred on the same region).
    case spacing(SIMD3<Double>, size: SIMD3<Int>?)

    /// The grid for `input` moved by `chain` (output -> input). Without transforms the output keeps
    /// the input's directions and covers the same box; with linear transforms it is axis-aligned
    /// around the moved input's corners; with a thin-plate spline, around the input's own box.
    func geometry(input: VolumeGeometry, chain: TransformChain) throws(ResamplingError) -> VolumeGeometry {
        switch self {
        case .reference(let g):
            return g
        case let .spacing(spacing, size):
            guard [spacing.x, spacing.y, spacing.z].allSatisfy({ $0.isFinite && $0 > 0 && $0 < 1e6 }) else {
                throw .invalidGrid("spacing \(spacing) must be positive finite millimetres")
            }
            let toIndex = input.indexToPhysical
            var direction = input.direction
            var moving = Transform3D.identity
            if !chain.steps.isEmpty {
                direction = [1, 0, 0, 0, 1, 0, 0, 0, 1]
                if let m = chain.matrix {
                    guard let inverse = m.inverse else { throw .transform(.singular(source: "the composed transform")) }
                    moving = inverse
                }
            }
            let frame = Transform3D(linear: direction, translation: .zero)
            guard let toFrame = frame.inverse else { throw .invalidGrid("singular input directions") }
            var lo = SIMD3<Double>(repeating: .infinity), hi = -lo
            let d = input.dimensions
            for corner in 0..<8 {
                let c = SIMD3(corner & 1 == 0 ? -0.5 : Double(d.x) - 0.5, corner & 2 == 0 ? -0.5 : Double(d.y) - 0.5,
                              corner & 4 == 0 ? -0.5 : Double(d.z) - 0.5)
                let p = toFrame.apply(moving.apply(toIndex.apply(c)))
                lo = pointwiseMin(lo, p); hi = pointwiseMax(hi, p)
            }
            let extent = hi - lo
            var dims = SIMD3<Int>.one
            for a in 0..<3 {
                let n = (extent[a] / spacing[a] - 1e-6).rounded(.up)
                guard n.isFinite, n < 1e6 else { throw .invalidGrid("\(extent[a]) mm at \(spacing[a]) mm is too many voxels") }
                dims[a] = max(1, Int(n))
            }
            if let size {
                guard size.min() > 0, size.max() < 1_000_000 else { throw .invalidGrid("size \(size) must be 1 to 999999 voxels") }
                dims = size
            }
            // Centre the grid on the box.
            let centre = (lo + hi) / 2
            let start = centre - spacing * (SIMD3<Double>(dims) - 1) / 2
            return VolumeGeometry(dimensions: dims, spacing: spacing, origin: frame.apply(start), direction: direction)
        }
    }
}
