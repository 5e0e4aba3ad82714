/// One markup control point: a label and a position, in LPS millimetres.
public struct MarkupPoint: Sendable, Hashable {
    /// The point's label (`F-1`, ...); may be empty.
    public var label: String
    /// The position, LPS, mm.
    public var position: SIMD3<Double>

    public init(label: String = "", position: SIMD3<Double>) {
        self.label = label
        self.position = position
    }
}

/// A list of markup control points read from or written to a markups file: a Slicer curve,
/// point (fiducial) list, line, ... Positions are always LPS in memory.
public struct MarkupList: Sendable, Hashable {
    /// What the list is, as Slicer's `.mrk.json` `type` field says (`Curve`, `ClosedCurve`,
    /// `Fiducial`, `Line`, ...); `Fiducial` for `.fcsv` and plain CSV files.
    public var type: String
    /// The list's name, when the file gives one.
    public var name: String
    /// The control points in order.
    public var points: [MarkupPoint]
    /// The coordinate system the file used (positions are converted to LPS).
    public var fileCoordinateSystem: MarkupsCoordinateSystem

    public init(type: String = "Fiducial", name: String = "", points: [MarkupPoint],
                fileCoordinateSystem: MarkupsCoordinateSystem = .lps) {
        self.type = type
        self.name = name
        self.points = points
        self.fileCoordinateSystem = fileCoordinateSystem
    }

    /// Whether Slicer draws the list as a curve (`Curve` or `ClosedCurve`).
    public var isCurve: Bool { type == "Curve" || type == "ClosedCurve" }
}
