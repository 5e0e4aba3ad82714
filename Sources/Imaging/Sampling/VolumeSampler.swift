import Geometry

/// Samples a volume at continuous positions: the one implementation of volume interpolation
/// in Freehand.
///
/// Positions are continuous voxel indices (voxel (i, j, k)'s centre is at (i, j, k)) or
/// physical millimetres in the volume's frame (`VolumeGeometry.indexToPhysical`). A position
/// is inside when every index coordinate c satisfies `-0.5 <= c < n - 0.5` (ITK's buffer
/// test); elsewhere, and for NaN positions, the sampler returns `background`. Near the border,
/// linear interpolation clamps neighbours to the last voxel and cubic interpolation mirrors
/// them, as ITK does.
///
/// Fractional index parts within 1e-9 of a whole number are taken as whole, so positions that
/// are voxel centres up to rounding of a transform reproduce the voxel values exactly with
/// linear interpolation (and to float precision with cubic).
///
/// The sampler shares the volume's storage (no copy); `cubic` also holds one `Float` B-spline
/// coefficient per voxel, computed in parallel at creation. Sampling never allocates. The
/// methods are `@inlinable`, so callers get code specialised for their scalar type.
public struct VolumeSampler<Scalar: VoxelScalar>: Sendable {
    /// The sampled grid.
    public let geometry: VolumeGeometry
    /// The interpolation.
    public let interpolation: Interpolation
    /// The value returned outside the volume.
    public let background: Double

    @usableFromInline let voxels: [Scalar]
    @usableFromInline let coefficients: [Float]
    @usableFromInline let dims: SIMD3<Int>
    @usableFromInline let upper: SIMD3<Double>
    /// Physical -> index: index = p.x * toIndexX + p.y * toIndexY + p.z * toIndexZ + toIndexOrigin.
    @usableFromInline let toIndexX: SIMD3<Double>
    @usableFromInline let toIndexY: SIMD3<Double>
    @usableFromInline let toIndexZ: SIMD3<Double>
    @usableFromInline let toIndexOrigin: SIMD3<Double>

    /// A sampler over `volume`.
    /// - Throws: `SamplingError.singularGeometry` when a spacing is zero, negative or not finite,
    ///   or the direction matrix cannot be inverted.
    public init(_ volume: Volume<Scalar>, interpolation: Interpolation, background: Double = 0) throws(SamplingError) {
        let g = volume.geometry
        let finite = [g.spacing.x, g.spacing.y, g.spacing.z, g.origin.x, g.origin.y, g.origin.z] + g.direction
        guard g.direction.count == 9, finite.allSatisfy(\.isFinite),
              g.spacing.x > 0, g.spacing.y > 0, g.spacing.z > 0,
              let inverse = g.physicalToIndex, inverse.elements.allSatisfy(\.isFinite) else {
            throw .singularGeometry(spacing: g.spacing, direction: g.direction)
        }
        geometry = g
        self.interpolation = interpolation
        self.background = background
        voxels = volume.voxels
        dims = g.dimensions
        upper = SIMD3(Double(g.dimensions.x), Double(g.dimensions.y), Double(g.dimensions.z)) - 0.5
        toIndexX = inverse.column(0)
        toIndexY = inverse.column(1)
        toIndexZ = inverse.column(2)
        toIndexOrigin = inverse.translation
        coefficients = interpolation == .cubic ? BSplinePrefilter.coefficients(volume.voxels, dimensions: g.dimensions) : []
    }

    /// The continuous voxel index of physical position `p` (mm).
    @inlinable
    public func index(ofPhysical p: SIMD3<Double>) -> SIMD3<Double> {
        toIndexOrigin + p.x * toIndexX + p.y * toIndexY + p.z * toIndexZ
    }

    /// Whether continuous index `p` is inside the volume (`-0.5 <= c < n - 0.5` on every axis).
    @inlinable
    public func contains(index p: SIMD3<Double>) -> Bool {
        p.x >= -0.5 && p.y >= -0.5 && p.z >= -0.5 && p.x < upper.x && p.y < upper.y && p.z < upper.z
    }

    /// The interpolated value at continuous voxel index `p`, or `background` outside.
    @inlinable
    public func value(atIndex p: SIMD3<Double>) -> Double {
        guard contains(index: p) else { return background }
        switch interpolation {
        case .nearest: return voxels.withUnsafeBufferPointer { nearest(p, $0) }
        case .linear: return voxels.withUnsafeBufferPointer { linear(p, $0) }
        case .cubic: return coefficients.withUnsafeBufferPointer { cubic(p, $0) }
        }
    }

    /// The interpolated value at physical position `p` (mm), or `background` outside.
    @inlinable
    public func value(atPhysical p: SIMD3<Double>) -> Double {
        value(atIndex: index(ofPhysical: p))
    }

    /// Samples `count` points along a line of continuous indices, `start + n * step` for
    /// n = 0 ..< count, into `out[0 ..< count]`; returns how many were inside the volume.
    @inlinable
    @discardableResult
    public func sample(fromIndex start: SIMD3<Double>, step: SIMD3<Double>, count: Int,
                       into out: UnsafeMutableBufferPointer<Double>) -> Int {
        precondition(count >= 0 && count <= out.count, "sample: \(count) samples into a buffer of \(out.count)")
        var inside = 0
        func run(_ kernel: (SIMD3<Double>) -> Double) {
            for n in 0..<count {
                let p = start + Double(n) * step
                if contains(index: p) {
                    out[n] = kernel(p)
                    inside += 1
                } else {
                    out[n] = background
                }
            }
        }
        switch interpolation {
        case .nearest: voxels.withUnsafeBufferPointer { v in run { nearest($0, v) } }
        case .linear: voxels.withUnsafeBufferPointer { v in run { linear($0, v) } }
        case .cubic: coefficients.withUnsafeBufferPointer { c in run { cubic($0, c) } }
        }
        return inside
    }

    // MARK: Kernels (p is inside)

    @inlinable @inline(__always)
    func nearest(_ p: SIMD3<Double>, _ v: UnsafeBufferPointer<Scalar>) -> Double {
        let i = min(Int((p.x + 0.5).rounded(.down)), dims.x - 1)
        let j = min(Int((p.y + 0.5).rounded(.down)), dims.y - 1)
        let k = min(Int((p.z + 0.5).rounded(.down)), dims.z - 1)
        return v[(k * dims.y + j) * dims.x + i].doubleValue
    }

    /// Floor and fraction of `c`, with fractions within 1e-9 of 0 or 1 snapped.
    @inlinable @inline(__always)
    static func split(_ c: Double) -> (Int, Double) {
        let f = c.rounded(.down)
        let t = c - f
        if t < 1e-9 { return (Int(f), 0) }
        if t > 1 - 1e-9 { return (Int(f) + 1, 0) }
        return (Int(f), t)
    }

    @inlinable @inline(__always)
    func linear(_ p: SIMD3<Double>, _ v: UnsafeBufferPointer<Scalar>) -> Double {
        let (ix, tx) = Self.split(p.x), (iy, ty) = Self.split(p.y), (iz, tz) = Self.split(p.z)
        let x0 = min(max(ix, 0), dims.x - 1), x1 = min(max(ix + 1, 0), dims.x - 1)
        let y0 = min(max(iy, 0), dims.y - 1), y1 = min(max(iy + 1, 0), dims.y - 1)
        let z0 = min(max(iz, 0), dims.z - 1), z1 = min(max(iz + 1, 0), dims.z - 1)
        let nx = dims.x, plane = dims.x * dims.y
        let r00 = z0 * plane + y0 * nx, r01 = z0 * plane + y1 * nx
        let r10 = z1 * plane + y0 * nx, r11 = z1 * plane + y1 * nx
        let sx = 1 - tx
        let a = v[r00 + x0].doubleValue * sx + v[r00 + x1].doubleValue * tx
        let b = v[r01 + x0].doubleValue * sx + v[r01 + x1].doubleValue * tx
        let c = v[r10 + x0].doubleValue * sx + v[r10 + x1].doubleValue * tx
        let d = v[r11 + x0].doubleValue * sx + v[r11 + x1].doubleValue * tx
        let sy = 1 - ty
        return (a * sy + b * ty) * (1 - tz) + (c * sy + d * ty) * tz
    }

    /// Cubic B-spline weights of the 4 samples around fraction t.
    @inlinable @inline(__always)
    static func bsplineWeights(_ t: Double) -> SIMD4<Double> {
        let t2 = t * t, t3 = t2 * t, s = 1 - t
        return SIMD4(s * s * s, 3 * t3 - 6 * t2 + 4, -3 * t3 + 3 * t2 + 3 * t + 1, t3) / 6
    }

    /// Whole-sample mirror of index i into 0 ..< n (ITK's B-spline boundary).
    @inlinable @inline(__always)
    static func mirror(_ i: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        if i >= 0 && i < n { return i }
        let period = 2 * (n - 1)
        var m = i % period
        if m < 0 { m += period }
        return m < n ? m : period - m
    }

    @inlinable @inline(__always)
    func cubic(_ p: SIMD3<Double>, _ c: UnsafeBufferPointer<Float>) -> Double {
        let (ix, tx) = Self.split(p.x), (iy, ty) = Self.split(p.y), (iz, tz) = Self.split(p.z)
        let wx = Self.bsplineWeights(tx), wy = Self.bsplineWeights(ty), wz = Self.bsplineWeights(tz)
        let nx = dims.x, ny = dims.y, nz = dims.z
        let x = SIMD4(Self.mirror(ix - 1, nx), Self.mirror(ix, nx), Self.mirror(ix + 1, nx), Self.mirror(ix + 2, nx))
        var sum = 0.0
        for a in 0..<4 where wz[a] != 0 {
            let z = Self.mirror(iz - 1 + a, nz)
            var plane = 0.0
            for b in 0..<4 where wy[b] != 0 {
                let row = (z * ny + Self.mirror(iy - 1 + b, ny)) * nx
                plane += wy[b] * (Double(c[row + x[0]]) * wx[0] + Double(c[row + x[1]]) * wx[1]
                                  + Double(c[row + x[2]]) * wx[2] + Double(c[row + x[3]]) * wx[3])
            }
            sum += wz[a] * plane
        }
        return sum
    }
}
