import Foundation
import Imaging

/// The per-voxel-row work of the backward methods: for one row of voxels, visit the indexed
/// frames in acquisition order, find in closed form the voxels each can reach, sample it there
/// and keep what the method needs; then write the row.
struct VoxelKernel: Sendable {
    let method: ReconstructionMethod
    let weighting: BackwardParameters.Weighting
    /// Frames kept per voxel (k for DW, 1 otherwise).
    let neighbours: Int
    let reach: Double
    let dims: SIMD3<Int>
    let origin: SIMD3<Double>
    let spacing: SIMD3<Double>
    let minVoxel: Double
    /// Trajectory: a frame closer than this (half the smallest voxel side) passes through the
    /// voxel, which then takes the mean of such frames, as MEAN splatting would.
    let slab: Float

    init(method: ReconstructionMethod, parameters: BackwardParameters, grid: VolumeGeometry, reach: Double) {
        self.method = method
        weighting = parameters.weighting
        neighbours = method == .distanceWeighted ? parameters.neighbours : 1
        self.reach = reach
        dims = grid.dimensions
        origin = grid.origin
        spacing = grid.spacing
        minVoxel = min(grid.spacing.x, grid.spacing.y, grid.spacing.z)
        slab = Float(minVoxel / 2)
    }

    /// Per-worker buffers for one voxel row.
    struct Scratch {
        /// k nearest per voxel: |distance| ascending, their values, and how many.
        var distance: [Float]
        var value: [Float]
        var count: [Int32]
        /// Trajectory: the last frame seen per voxel (ordinal, signed distance, value) and the
        /// best bracketing pair so far (gap, interpolated value).
        var previousOrdinal: [Int]
        var previousDistance: [Float]
        var previousValue: [Float]
        var bracketGap: [Float]
        var bracketValue: [Float]
        /// Trajectory: sum and count of the samples of frames passing through the voxel.
        var slabSum: [Float]
        var slabCount: [Int32]

        init(rowLength n: Int, neighbours k: Int) {
            distance = [Float](repeating: 0, count: n * k)
            value = [Float](repeating: 0, count: n * k)
            count = [Int32](repeating: 0, count: n)
            previousOrdinal = [Int](repeating: -2, count: n)
            previousDistance = [Float](repeating: 0, count: n)
            previousValue = [Float](repeating: 0, count: n)
            bracketGap = [Float](repeating: .infinity, count: n)
            bracketValue = [Float](repeating: 0, count: n)
            slabSum = [Float](repeating: 0, count: n)
            slabCount = [Int32](repeating: 0, count: n)
        }

        mutating func reset() {
            for i in count.indices {
                count[i] = 0
                previousOrdinal[i] = -2
                bracketGap[i] = .infinity
                slabSum[i] = 0
                slabCount[i] = 0
            }
        }
    }

    /// Computes every voxel of z slice `k`.
    func slice(_ k: Int, frames: [BackwardFrame], index: FrameIndex, scratch s: inout Scratch,
               values: SharedBuffer<Float>, covered: SharedBuffer<UInt8>) {
        let candidates = index.slices[k]
        guard !candidates.isEmpty else { return }
        let nx = dims.x
        let step = SIMD3(spacing.x, 0, 0)
        for j in 0..<dims.y {
            s.reset()
            var any = false
            let p0 = origin + SIMD3(0, Double(j) * spacing.y, Double(k) * spacing.z)
            for c in candidates {
                let fi = Int(c)
                guard index.rowRange[fi].contains(j) else { continue }
                let f = frames[fi]
                let q0 = f.project(p0)
                let dq = SIMD3((f.rowU * step).sum(), (f.rowV * step).sum(), (f.rowD * step).sum())
                var t0 = 0.0, t1 = Double(nx - 1)
                Self.narrow(&t0, &t1, a: q0.x, b: dq.x, lo: -1, hi: Double(f.width))
                Self.narrow(&t0, &t1, a: q0.y, b: dq.y, lo: -1, hi: Double(f.height))
                Self.narrow(&t0, &t1, a: q0.z, b: dq.z, lo: -reach, hi: reach)
                guard t0 <= t1 else { continue }
                let i0 = Int(t0.rounded(.up)), i1 = Int(t1.rounded(.down))
                guard i0 <= i1 else { continue }
                any = true
                f.pixels.withUnsafeBufferPointer { px in
                    for i in i0...i1 {
                        let q = q0 + Double(i) * dq
                        let v = method == .voxelNearestNeighbor
                            ? Self.nearest(q.x, q.y, px, f.width, f.height)
                            : Self.bilinear(q.x, q.y, px, f.width, f.height)
                        guard !v.isNaN else { continue }
                        let d = Float(q.z)
                        insert(abs(d), v, at: i, &s)
                        if method == .trajectory {
                            bracket(i, ordinal: f.ordinal, d, v, &s)
                            if abs(d) <= slab { s.slabSum[i] += v; s.slabCount[i] += 1 }
                        }
                    }
                }
            }
            guard any else { continue }
            let base = (k * dims.y + j) * nx
            for i in 0..<nx where s.count[i] > 0 {
                values[base + i] = finish(i, s)
                covered[base + i] = 1
            }
        }
    }

    /// Keeps the `neighbours` nearest samples of voxel `i` sorted by distance (ties: earlier frame).
    @inline(__always)
    private func insert(_ d: Float, _ v: Float, at i: Int, _ s: inout Scratch) {
        let k = neighbours, base = i * k
        var n = Int(s.count[i])
        if n == k {
            guard d < s.distance[base + k - 1] else { return }
            n -= 1
        } else {
            s.count[i] += 1
        }
        var p = n
        while p > 0, s.distance[base + p - 1] > d {
            s.distance[base + p] = s.distance[base + p - 1]
            s.value[base + p] = s.value[base + p - 1]
            p -= 1
        }
        s.distance[base + p] = d
        s.value[base + p] = v
    }

    /// Trajectory: when the previous frame of the sweep reached voxel `i` from the other side of
    /// it, the voxel lies between the two planes; interpolate linearly by distance.
    @inline(__always)
    private func bracket(_ i: Int, ordinal: Int, _ d: Float, _ v: Float, _ s: inout Scratch) {
        if s.previousOrdinal[i] == ordinal - 1 {
            let pd = s.previousDistance[i]
            if (pd <= 0 && d >= 0) || (pd >= 0 && d <= 0) {
                let gap = abs(pd) + abs(d)
                if gap < s.bracketGap[i] {
                    s.bracketGap[i] = gap
                    s.bracketValue[i] = gap > 0 ? (abs(d) * s.previousValue[i] + abs(pd) * v) / gap : v
                }
            }
        }
        s.previousOrdinal[i] = ordinal
        s.previousDistance[i] = d
        s.previousValue[i] = v
    }

    /// The voxel's value from what the row pass kept. Trajectory: the mean of the frames passing
    /// through the voxel when there are any (a voxel on a frame keeps that frame's value), else
    /// the interpolation between the bracketing pair, else the nearest frame.
    @inline(__always)
    private func finish(_ i: Int, _ s: Scratch) -> Float {
        switch method {
        case .plus, .voxelNearestNeighbor:
            return s.value[i * neighbours]
        case .trajectory:
            if s.slabCount[i] > 0 { return s.slabSum[i] / Float(s.slabCount[i]) }
            return s.bracketGap[i].isFinite ? s.bracketValue[i] : s.value[i]
        case .distanceWeighted:
            let n = Int(s.count[i]), base = i * neighbours
            if n == 1 { return s.value[base] }
            var sum = 0.0, weights = 0.0
            switch weighting {
            case .gaussian:
                // Radius adapted to the nearest frame: a voxel on a frame keeps that frame's
                // value; midway between two frames both count equally.
                let sigma = max(Double(s.distance[base]), 0.5 * minVoxel)
                let scale = -1 / (2 * sigma * sigma)
                for m in 0..<n {
                    let d = Double(s.distance[base + m])
                    let w = Foundation.exp(d * d * scale)
                    sum += w * Double(s.value[base + m]); weights += w
                }
            case .inverseDistance:
                for m in 0..<n {
                    let w = 1 / (Double(s.distance[base + m]) + 0.1 * minVoxel)
                    sum += w * Double(s.value[base + m]); weights += w
                }
            }
            return weights > 0 ? Float(sum / weights) : s.value[base]
        }
    }

    /// Narrows [t0, t1] to the t with lo <= a + b t <= hi.
    @inline(__always)
    static func narrow(_ t0: inout Double, _ t1: inout Double, a: Double, b: Double, lo: Double, hi: Double) {
        if abs(b) < 1e-12 {
            if !(a >= lo && a <= hi) { t0 = 1; t1 = 0 }
            return
        }
        var l = (lo - a) / b, h = (hi - a) / b
        if l > h { swap(&l, &h) }
        t0 = max(t0, l)
        t1 = min(t1, h)
        if !(t0 <= t1) { t0 = 1; t1 = 0 }
    }

    /// The pixel nearest (u, v), NaN outside the mask.
    @inline(__always)
    static func nearest(_ u: Double, _ v: Double, _ px: UnsafeBufferPointer<Float>, _ w: Int, _ h: Int) -> Float {
        let x = min(max(Int((u + 0.5).rounded(.down)), 0), w - 1)
        let y = min(max(Int((v + 0.5).rounded(.down)), 0), h - 1)
        return px[y * w + x]
    }

    /// Bilinear interpolation over the neighbours inside the mask (weights renormalised); the
    /// nearest pixel when those carry no weight; NaN when it is outside the mask too.
    @inline(__always)
    static func bilinear(_ u: Double, _ v: Double, _ px: UnsafeBufferPointer<Float>, _ w: Int, _ h: Int) -> Float {
        var x0 = Int(u.rounded(.down)), y0 = Int(v.rounded(.down))
        var tx = Float(u - u.rounded(.down)), ty = Float(v - v.rounded(.down))
        if x0 < 0 { x0 = 0; tx = 0 } else if x0 >= w - 1 { x0 = w - 1; tx = 0 }
        if y0 < 0 { y0 = 0; ty = 0 } else if y0 >= h - 1 { y0 = h - 1; ty = 0 }
        let x1 = min(x0 + 1, w - 1), y1 = min(y0 + 1, h - 1)
        let a = px[y0 * w + x0], b = px[y0 * w + x1], c = px[y1 * w + x0], d = px[y1 * w + x1]
        if !(a.isNaN || b.isNaN || c.isNaN || d.isNaN) {
            let top = a + (b - a) * tx, bottom = c + (d - c) * tx
            return top + (bottom - top) * ty
        }
        var sum: Float = 0, weight: Float = 0
        for (value, wgt) in [(a, (1 - tx) * (1 - ty)), (b, tx * (1 - ty)), (c, (1 - tx) * ty), (d, tx * ty)] where !value.isNaN && wgt > 0 {
            sum += value * wgt; weight += wgt
        }
        return weight > 1e-6 ? sum / weight : nearest(u, v, px, w, h)
    }
}
