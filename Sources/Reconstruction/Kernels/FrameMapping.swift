import Geometry
import Imaging

/// The affine map from a frame's pixel indices (x, y) to fractional voxel indices of the output
/// grid, in both PLUS arithmetics: double precision and 14-bit fixed point.
///
/// voxel(x, y) = origin + x * xAxis + y * yAxis.
struct FrameMapping: Sendable {
    let origin: SIMD3<Double>
    let xAxis: SIMD3<Double>
    let yAxis: SIMD3<Double>
    /// Fixed-point versions (raw values, value * 2^14), rounded as PLUS's `fixed(double)`.
    let originFixed: SIMD3<Int>
    let xAxisFixed: SIMD3<Int>
    let yAxisFixed: SIMD3<Int>

    /// Pixel -> voxel index map for a frame whose pixels map to the reference frame by
    /// `imageToReference` (pixel units, as PLUS's unit-spacing frames), into `grid`; the
    /// coefficients are `pixelToVoxel(imageToReference:grid:)`'s, bit for bit IGSIO's.
    init(imageToReference m: Transform3D, grid: VolumeGeometry) {
        let p = Self.pixelToVoxel(imageToReference: m, grid: grid)
        xAxis = SIMD3(p[0, 0], p[1, 0], p[2, 0])
        yAxis = SIMD3(p[0, 1], p[1, 1], p[2, 1])
        origin = SIMD3(p[0, 3], p[1, 3], p[2, 3])
        originFixed = SIMD3(FixedPoint.fromDouble(origin.x), FixedPoint.fromDouble(origin.y), FixedPoint.fromDouble(origin.z))
        xAxisFixed = SIMD3(FixedPoint.fromDouble(xAxis.x), FixedPoint.fromDouble(xAxis.y), FixedPoint.fromDouble(xAxis.z))
        yAxisFixed = SIMD3(FixedPoint.fromDouble(yAxis.x), FixedPoint.fromDouble(yAxis.y), FixedPoint.fromDouble(yAxis.z))
    }

    /// IGSIO's pixel -> voxel index matrix (`mImagePixToVolumePix` of vtkIGSIOPasteSliceIntoVolume),
    /// computed with the same VTK operations in the same order, so its bits are IGSIO's: a
    /// last-bit difference moves a pixel that lands exactly on a voxel plane off it, and a
    /// 1e-16 trilinear weight then writes into a voxel IGSIO leaves empty.
    ///
    /// VTK's steps: VolumePixFromRef is Translate(origin) and Scale(spacing) multiplied into one
    /// matrix (each skipped when it is the identity), inverted with VTK's adjoint formula
    /// (`Transform3D.inverse`) and multiplied by the identity; RefFromImage is `m` set on a
    /// transform (identity times identity times `m`); ImageFromImagePix is Scale(1, 1, 1), skipped;
    /// the three are concatenated (pre-multiplied) onto the identity in that order. The products
    /// are `Transform3D.*`, VTK's Multiply4x4 sum order. A singular grid gives NaN (the frame is
    /// then skipped as non-finite).
    static func pixelToVoxel(imageToReference m: Transform3D, grid: VolumeGeometry) -> Transform3D {
        let identity = Transform3D.identity
        var volumeToReference: Transform3D?
        if grid.origin != .zero { volumeToReference = identity * .translation(grid.origin) }
        if grid.spacing != SIMD3(repeating: 1) { volumeToReference = (volumeToReference ?? identity) * .scaling(grid.spacing) }
        var volumePixFromRef = identity
        if let forward = volumeToReference {
            guard let inverse = forward.inverse else { return Transform3D(rowMajor: [Double](repeating: .nan, count: 16)) }
            volumePixFromRef = inverse * identity
        }
        let refFromImage = identity * (identity * m)
        return ((identity * volumePixFromRef) * refFromImage) * identity
    }

    /// Whether every coefficient is finite (a NaN or infinite transform cannot be pasted).
    var isFinite: Bool {
        for v in [origin, xAxis, yAxis] where !(v.x.isFinite && v.y.isFinite && v.z.isFinite) { return false }
        return true
    }

    /// Whether fixed point can represent every voxel coordinate of `grid` (PLUS's 32-bit
    /// fixed point holds up to 131071).
    static func fixedPointFits(_ grid: VolumeGeometry) -> Bool {
        grid.dimensions.x < 100_000 && grid.dimensions.y < 100_000 && grid.dimensions.z < 100_000
    }
}

/// Solving `lo <= p + t * d <= hi` for integer t.
enum IntegerInterval {
    @inline(__always)
    static func floorDiv(_ a: Int, _ b: Int) -> Int {
        let q = a / b
        return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
    }

    @inline(__always)
    static func ceilDiv(_ a: Int, _ b: Int) -> Int {
        -floorDiv(-a, b)
    }

    /// Narrows `[t0, t1]` to the t with `lo <= p + t*d <= hi`.
    @inline(__always)
    static func clamp(_ t0: inout Int, _ t1: inout Int, p: Int, d: Int, lo: Int, hi: Int) {
        if d == 0 {
            if p < lo || p > hi { t0 = 1; t1 = 0 }
        } else if d > 0 {
            t0 = max(t0, ceilDiv(lo - p, d))
            t1 = min(t1, floorDiv(hi - p, d))
        } else {
            t0 = max(t0, ceilDiv(hi - p, d))
            t1 = min(t1, floorDiv(lo - p, d))
        }
    }
}
