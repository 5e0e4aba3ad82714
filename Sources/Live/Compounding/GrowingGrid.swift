import Geometry
import Imaging
import Reconstruction

/// The bookkeeping of a live grid that grows as the sweep does (no `--grid-from`, no configured
/// extent): PLUS's automatic extent over every posed frame received so far, kept by the offline
/// pipeline's own `OutputGridBuilder` (so the exact extent at the end is the one `freehand
/// reconstruct` computes for the same frames), and the frames pasted so far, kept so that they
/// can be pasted again into a larger working grid and, at the end, into that exact extent.
///
/// Why frames are kept rather than the volume shifted: PLUS's automatic extent puts the origin at
/// the exact minimum corner of all frames (and may recompute the z spacing), not on a lattice
/// fixed by the first frames, so only pasting the frames again reproduces the offline voxels.
struct GrowingGrid {
    /// The running automatic extent (every posed frame, SkipInterval-skipped ones included, as
    /// offline).
    private(set) var extent: OutputGridBuilder
    /// Millimetres added on every side of the working grid.
    let margin: Double
    /// The frames pasted so far, in order.
    private(set) var frames: [(image: Image, imageToReference: Transform3D)] = []
    /// Their pixel bytes.
    private(set) var frameBytes = 0

    init(settings: ReconstructionSettings, margin: Double) {
        extent = OutputGridBuilder(settings: settings)
        self.margin = margin.isFinite ? max(0, margin) : 0
    }

    /// The largest distance from the reference origin (mm, per coordinate) a frame corner may
    /// have: a tracker reading beyond a kilometre is a fault, and an extent that wide has more
    /// voxels than a grid can address.
    static let farthest = 1e6

    /// Why a posed frame is refused before it enters the extent (a corner beyond `farthest`
    /// or not finite), nil when its pose is plausible.
    static func absurdity(width: Int, height: Int, imageToReference m: Transform3D) -> String? {
        let w = Double(max(0, width - 1)), h = Double(max(0, height - 1))
        for p in [SIMD3(0, 0, 0), SIMD3(w, 0, 0), SIMD3(0, h, 0), SIMD3(w, h, 0)] {
            let c = m.apply(p)
            guard c.x.isFinite, c.y.isFinite, c.z.isFinite, abs(c.x) <= farthest, abs(c.y) <= farthest, abs(c.z) <= farthest else {
                return "the pose puts an image corner at (\(c.x), \(c.y), \(c.z)) mm, beyond \(farthest) mm from the reference origin; check the tracker"
            }
        }
        return nil
    }

    /// Adds a posed frame to the extent.
    mutating func include(width: Int, height: Int, imageToReference: Transform3D) {
        extent.add(width: width, height: height, imageToReference: imageToReference)
    }

    /// Keeps pasted frames for re-pasting.
    mutating func keep(_ items: [(image: Image, imageToReference: Transform3D)]) {
        frames += items
        frameBytes += Self.bytes(of: items)
    }

    /// Pixel bytes of `items`.
    static func bytes(of items: [(image: Image, imageToReference: Transform3D)]) -> Int {
        items.reduce(0) { $0 &+ $1.image.bytes.count }
    }

    /// PLUS's automatic extent of every frame so far: the grid `freehand reconstruct` computes.
    func exact() throws(ReconstructionError) -> VolumeGeometry {
        try extent.geometry()
    }

    /// The first working grid: the exact extent so far, `margin` mm larger on every side.
    func initial() throws(ReconstructionError) -> VolumeGeometry {
        var g = try exact()
        for d in 0..<3 where margin > 0 {
            let extra = Int((margin / g.spacing[d]).rounded(.up))
            g.origin[d] -= Double(extra) * g.spacing[d]
            g.dimensions[d] += 2 * extra
        }
        return g
    }

    /// Whether the voxel centres of `g` span every frame corner seen so far.
    func isCovered(by g: VolumeGeometry) -> Bool {
        guard extent.validFrameCount > 0 else { return true }
        for d in 0..<3 {
            let tolerance = 1e-9 * max(1, abs(g.origin[d])) + 1e-6 * g.spacing[d]
            let last = g.origin[d] + Double(g.dimensions[d] - 1) * g.spacing[d]
            if extent.minimum[d] < g.origin[d] - tolerance || extent.maximum[d] > last + tolerance { return false }
        }
        return true
    }

    /// `g` extended on the same lattice until it covers every frame so far: by `margin` and half
    /// its span more on each side that was overrun (amortised: each growth at least multiplies
    /// that side's span by 1.5, so a sweep of any length regrows a handful of times), or, with
    /// `headroom` false, just enough.
    func grown(_ g: VolumeGeometry, headroom: Bool = true) throws(ReconstructionError) -> VolumeGeometry {
        var out = g
        for d in 0..<3 {
            let s = g.spacing[d]
            let low = g.origin[d], high = low + Double(g.dimensions[d] - 1) * s
            let extra = headroom ? max(margin, 0.5 * (high - low), 8 * s) : 0
            var below = 0.0, above = 0.0
            if extent.minimum[d] < low { below = ((low - extent.minimum[d] + extra) / s).rounded(.up) }
            if extent.maximum[d] > high { above = ((extent.maximum[d] + extra - high) / s).rounded(.up) }
            let total = Double(g.dimensions[d]) + below + above
            guard below.isFinite, above.isFinite, total < Double(Int32.max) else {
                throw .invalidGrid("the frames span \(extent.minimum[d]) ... \(extent.maximum[d]) mm along \("xyz".map(String.init)[d]), too many voxels of \(s) mm; check the poses")
            }
            out.origin[d] = low - below * s
            out.dimensions[d] = Int(total)
        }
        return out
    }
}
