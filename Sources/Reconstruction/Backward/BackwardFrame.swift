import Geometry
import Imaging

/// One frame prepared for the backward methods: its masked pixels box-averaged down to about
/// the voxel size (so a voxel reads the mean of the pixels it covers, as splatting with MEAN
/// does) and the map from reference millimetres to its (u, v, distance) coordinates.
struct BackwardFrame: Sendable {
    /// Position of the frame among those handed in (acquisition order).
    let ordinal: Int
    /// Box-averaged pixels, row by row; NaN where the clip rectangle or fan mask removed the pixel.
    let pixels: [Float]
    let width: Int
    let height: Int
    /// Reference mm -> u (coarse pixel column), v (coarse row) and signed distance d (mm) to the
    /// plane: (u, v, d) = rows * (p - origin).
    let rowU: SIMD3<Double>
    let rowV: SIMD3<Double>
    let rowD: SIMD3<Double>
    /// Centre of coarse pixel (0, 0) in mm, the frame's unit normal and its four outer corners (mm).
    let origin: SIMD3<Double>
    let normal: SIMD3<Double>
    let corners: [SIMD3<Double>]
    /// Centre of the frame in mm.
    let centre: SIMD3<Double>

    /// (u, v, d) of reference point `p` (mm).
    @inline(__always)
    func project(_ p: SIMD3<Double>) -> SIMD3<Double> {
        let q = p - origin
        return SIMD3((rowU * q).sum(), (rowV * q).sum(), (rowD * q).sum())
    }

    /// Prepares `image` (single component, any scalar type) whose pixel (x, y) lies at
    /// `imageToReference * (x, y, 0)`; `factor` pixels along each axis form one coarse pixel,
    /// which is kept when at least half its pixels are inside `mask`. Nil when the pose is
    /// degenerate or no coarse pixel survives.
    init?(image: Image, imageToReference m: Transform3D, mask: [Bool], factor: Int, ordinal: Int) {
        let f = max(1, factor)
        let w = image.width / f, h = image.height / f
        guard w > 0, h > 0, image.components == 1, mask.count == image.width * image.height else { return nil }
        let ax = m.column(0) * Double(f), ay = m.column(1) * Double(f)
        let o = m.translation + Double(f - 1) / 2 * (m.column(0) + m.column(1))
        let c = SIMD3(ax.y * ay.z - ax.z * ay.y, ax.z * ay.x - ax.x * ay.z, ax.x * ay.y - ax.y * ay.x)
        let length = (c * c).sum().squareRoot()
        guard length.isFinite, length > 0 else { return nil }
        let n = c / length
        let plane = Transform3D(linear: [ax.x, ay.x, n.x, ax.y, ay.y, n.y, ax.z, ay.z, n.z], translation: o)
        guard let inverse = plane.inverse, inverse.elements.allSatisfy(\.isFinite) else { return nil }
        rowU = SIMD3(inverse[0, 0], inverse[0, 1], inverse[0, 2])
        rowV = SIMD3(inverse[1, 0], inverse[1, 1], inverse[1, 2])
        rowD = SIMD3(inverse[2, 0], inverse[2, 1], inverse[2, 2])
        origin = o
        normal = n
        func at(_ u: Double, _ v: Double) -> SIMD3<Double> { o + u * ax + v * ay }
        corners = [at(-0.5, -0.5), at(Double(w) - 0.5, -0.5), at(-0.5, Double(h) - 0.5), at(Double(w) - 0.5, Double(h) - 0.5)]
        centre = at(Double(w - 1) / 2, Double(h - 1) / 2)
        self.ordinal = ordinal
        self.width = w
        self.height = h

        let full = image.width
        var out = [Float](repeating: .nan, count: w * h)
        var sums = [Double](repeating: 0, count: w), counts = [Int](repeating: 0, count: w)
        var kept = 0
        let isByte = image.scalarType == .uint8
        image.bytes.withUnsafeBufferPointer { bytes in
            for cy in 0..<h {
                for i in 0..<w { sums[i] = 0; counts[i] = 0 }
                for y in (cy * f)..<(cy * f + f) {
                    let row = y * full
                    for x in 0..<(w * f) where mask[row + x] {
                        sums[x / f] += isByte ? Double(bytes[row + x]) : image.value(x: x, y: y)
                        counts[x / f] += 1
                    }
                }
                for cx in 0..<w where 2 * counts[cx] >= f * f {
                    out[cy * w + cx] = Float(sums[cx] / Double(counts[cx]))
                    kept += 1
                }
            }
        }
        guard kept > 0 else { return nil }
        pixels = out
    }
}
