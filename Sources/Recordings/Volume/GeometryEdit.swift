import Geometry

/// A change to a volume's or sequence's geometry that leaves its voxel values alone: new
/// spacing, origin or axis directions, or the origin moved so the volume's centre is at 0
/// (3D Slicer's "Center volume"). Members left `nil` keep the file's values.
///
/// Coordinates are ITK's physical LPS, as `freehand volume info` prints them; a NRRD file in
/// `right-anterior-superior` space is written with its own sign convention.
public struct GeometryEdit: Sendable, Equatable {
    /// Spacing in mm of the first `spacing.count` spatial axes (one value: every spatial axis; for
    /// sequences, the two image axes).
    public var spacing: [Double]?
    /// Centre of the first voxel, mm (one value per spatial axis).
    public var origin: [Double]?
    /// Axis directions, row-major `n x n` with column `j` the direction of axis `j` (as ITK's
    /// `GetDirection()` lists them). Columns are normalised.
    public var directions: [Double]?
    /// Moves the origin so the centre of the grid sits at (0, 0, 0) after the other changes.
    public var center: Bool

    /// An edit; at least one change must be asked for.
    public init(spacing: [Double]? = nil, origin: [Double]? = nil, directions: [Double]? = nil, center: Bool = false) {
        self.spacing = spacing
        self.origin = origin
        self.directions = directions
        self.center = center
    }

    /// Why an edit cannot be made, before any file is read: the option at fault and the reason.
    public func validationProblem() -> String? {
        if spacing == nil, origin == nil, directions == nil, !center {
            return "nothing to change: give --spacing, --origin, --directions or --center"
        }
        if let spacing {
            if spacing.isEmpty || spacing.count > 3 { return "--spacing takes 1 to 3 values, got \(spacing.count)" }
            for s in spacing where !(s.isFinite && s > 0 && s < 1e6) {
                return "--spacing \(s) is not a positive finite number of millimetres"
            }
        }
        if let origin {
            if origin.isEmpty || origin.count > 3 { return "--origin takes 1 to 3 values, got \(origin.count)" }
            for o in origin where !(o.isFinite && abs(o) < 1e9) { return "--origin \(o) is not a finite number of millimetres" }
            if center { return "--origin and --center contradict each other: give one" }
        }
        if let directions {
            guard directions.count == 9 || directions.count == 4 else {
                return "--directions takes 9 values (3x3, row-major, columns are the axes) or 4 (2x2), got \(directions.count)"
            }
            if directions.contains(where: { !$0.isFinite }) { return "--directions has a value that is not a finite number" }
            if GeometryEdit.normalizedColumns(directions) == nil {
                return "--directions is singular (an axis is zero or two axes are parallel)"
            }
        }
        return nil
    }

    /// `m` (row-major `n x n`) with unit columns, or nil when singular.
    static func normalizedColumns(_ m: [Double]) -> [Double]? {
        let n = m.count == 9 ? 3 : 2
        var out = m
        for c in 0..<n {
            let norm = (0..<n).reduce(0.0) { $0 + m[$1 * n + c] * m[$1 * n + c] }.squareRoot()
            guard norm > 1e-12 else { return nil }
            for r in 0..<n { out[r * n + c] = m[r * n + c] / norm }
        }
        let det = n == 3 ? Transform3D(linear: out, translation: .zero).linearDeterminant : out[0] * out[3] - out[1] * out[2]
        return abs(det) > 1e-6 ? out : nil
    }
}
