/// The spatial part of a header in the file's own coordinates, for `VolumeHeaderEditor`: `n`
/// spatial axes in a `d`-dimensional space (`direction` is `d x n`, row-major, unit columns).
struct SpatialGeometry {
    var sizes: [Int]
    var spacing: [Double]
    var origin: [Double]
    var direction: [Double]
    /// Signs from the file's space to LPS, per space coordinate.
    var sign: [Double]

    var n: Int { sizes.count }
    var d: Int { origin.count }

    /// The geometry with `edit` applied; `sequence` limits a single spacing value to the two image axes.
    func applying(_ edit: GeometryEdit, sequence: Bool, file: String) throws(RecordingError) -> SpatialGeometry {
        var g = self
        func fail(_ field: String, _ value: [Double], _ reason: String) -> RecordingError {
            .invalidField(file: file, field: field, value: value.map { "\($0)" }.joined(separator: " "), reason: reason)
        }
        if let s = edit.spacing {
            if s.count == 1 {
                for j in 0..<(sequence ? min(2, n) : n) { g.spacing[j] = s[0] }
            } else {
                guard s.count <= n else { throw fail("--spacing", s, "the file has \(n) spatial axes") }
                for j in 0..<s.count { g.spacing[j] = s[j] }
            }
        }
        if let m = edit.directions {
            guard d == n, m.count == n * n, let unit = GeometryEdit.normalizedColumns(m) else {
                throw fail("--directions", m, "the file has \(n) spatial axes in a \(d)-D space: give \(n * n) values")
            }
            for r in 0..<n { for c in 0..<n { g.direction[r * n + c] = unit[r * n + c] * sign[r] } }
        }
        if let o = edit.origin {
            guard o.count == d else { throw fail("--origin", o, "the file's space has \(d) coordinates") }
            for r in 0..<d { g.origin[r] = o[r] * sign[r] }
        }
        if edit.center {
            for r in 0..<d {
                g.origin[r] = -(0..<n).reduce(0.0) { $0 + g.direction[r * n + $1] * g.spacing[$1] * Double(max(g.sizes[$1] - 1, 0)) / 2 }
            }
        }
        return g
    }
}
