/// The anatomical coordinate convention of markup positions.
///
/// Freehand volumes are LPS (see `VolumeFile`); positions read from markups files are
/// converted to LPS, and written in the system asked for.
public enum MarkupsCoordinateSystem: String, Sendable, Hashable, CaseIterable {
    /// Left, posterior, superior (ITK, DICOM; Slicer's file default since 4.11).
    case lps = "LPS"
    /// Right, anterior, superior (Slicer's world; older `.fcsv` files).
    case ras = "RAS"

    /// Converts `p` from this system to LPS (or back: the map is its own inverse).
    public func toLPS(_ p: SIMD3<Double>) -> SIMD3<Double> {
        self == .lps ? p : SIMD3(-p.x, -p.y, p.z)
    }

    /// Converts an LPS position to this system.
    public func fromLPS(_ p: SIMD3<Double>) -> SIMD3<Double> { toLPS(p) }

    /// Parses `LPS`, `RAS` (any case) or Slicer's numeric codes `0` (RAS) and `1` (LPS).
    public init?(fileValue: String) {
        switch fileValue.trimmed.uppercased() {
        case "LPS", "1": self = .lps
        case "RAS", "0": self = .ras
        default: return nil
        }
    }
}
