/// Why an N-wire segmentation or calibration could not be done.
public enum NWireError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The phantom definition is unusable (wire count, geometry).
    case invalidPhantom(String)
    /// A `<Segmentation>` parameter is missing or out of range.
    case invalidParameter(String)
    /// The frame is not an 8-bit single-component image.
    case unsupportedImage(String)
    /// A frame lacks a transform the calibration needs.
    case missingTransform(frame: Int, String)
    /// Too few frames had a recognised pattern.
    case notEnoughFrames(found: Int, needed: Int)
    /// The configuration lacks something the calibration needs.
    case invalidConfiguration(String)
    /// The least-squares system could not be solved.
    case singularSystem(String)

    public var description: String {
        switch self {
        case let .invalidPhantom(m): return "invalid PhantomDefinition: \(m)"
        case let .invalidParameter(m): return "invalid Segmentation parameter: \(m)"
        case let .unsupportedImage(m): return "unsupported image for N-wire segmentation: \(m)"
        case let .missingTransform(frame, m): return "frame \(frame): \(m)"
        case let .notEnoughFrames(found, needed):
            return "only \(found) frames with a recognised N-wire pattern, at least \(needed) are needed; check the Segmentation parameters (ClipRectangle, ApproximateSpacingMmPerPixel) or record more frames"
        case let .invalidConfiguration(m): return "configuration: \(m)"
        case let .singularSystem(m): return "calibration failed: \(m)"
        }
    }
}
