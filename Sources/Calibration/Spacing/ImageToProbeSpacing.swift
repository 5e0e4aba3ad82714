import Geometry
import Recordings

/// The pixel spacing a device-set configuration's ImageToProbe implies: the lengths of the
/// matrix's first two columns (mm per pixel along x and y), as PLUS carries the scale there.
public struct ImageToProbeSpacing: Sendable, Hashable {
    /// The transform's name (`ImageToProbe`, or the frames `vtkPlusProbeCalibrationAlgo` names).
    public var name: TransformName
    public var matrix: Transform3D

    /// The ImageToProbe of `configuration`, nil when it has none.
    public init?(configuration: DeviceSetConfiguration) {
        let e = configuration.root.first("vtkPlusProbeCalibrationAlgo")
        let name = TransformName(from: e?[attribute: "ImageCoordinateFrame"] ?? "Image", to: e?[attribute: "ProbeCoordinateFrame"] ?? "Probe")
        guard let d = configuration.coordinateDefinitionDetails.first(where: { $0.name == name }) else { return nil }
        self.name = name
        matrix = d.matrix
    }

    /// mm per pixel along the image's x and y axes.
    public var spacing: SIMD2<Double> {
        SIMD2(Self.length(matrix.column(0)), Self.length(matrix.column(1)))
    }

    /// The matrix with its x and y columns scaled to `spacing` mm/px (directions, the z column and
    /// the translation kept; a z column with the in-plane scale is scaled with it).
    public func rescaled(to spacing: Double) -> Transform3D {
        let old = self.spacing
        let mean = (old.x + old.y) / 2
        let z = Self.length(matrix.column(2))
        var factors = SIMD3(spacing / old.x, spacing / old.y, 1)
        if abs(z - mean) <= 0.1 * mean { factors.z = spacing / mean }
        var e = matrix.elements
        for r in 0..<3 { for c in 0..<3 { e[r * 4 + c] *= factors[c] } }
        return Transform3D(rowMajor: e)
    }

    static func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
}
