/// The `<Segmentation>` parameters of a PLUS device-set configuration, with PLUS's defaults
/// (`PlusFidSegmentation`, `PlusFidLineFinder`, `PlusFidLabeling`).
public struct NWireSegmentationParameters: Sendable, Hashable {
    /// Approximate pixel size, used to turn the mm tolerances into pixels.
    public var approximateSpacingMmPerPixel = 0.078
    /// Radius of the disc used to open (keep) dot-shaped blobs.
    public var morphologicalOpeningCircleRadiusMm = 0.27
    /// Length of the bars whose openings are subtracted (removes lines longer than this).
    public var morphologicalOpeningBarSizeMm = 2.0
    /// Search rectangle origin (x, y) in pixels; nil means the whole frame.
    public var clipRectangleOrigin: SIMD2<Int>? = SIMD2(27, 27)
    /// Search rectangle size (width, height) in pixels.
    public var clipRectangleSize: SIMD2<Int>? = SIMD2(766, 562)
    /// Allowed relative error of the distance between N-wire lines.
    public var maxLinePairDistanceErrorPercent = 10.0
    /// Lines closer than this angle are considered parallel.
    public var angleToleranceDegrees = 10.0
    /// Kept for configuration compatibility (PLUS reads it but the N-wire labelling does not use it).
    public var maxAngleDifferenceDegrees = 10.0
    /// Accepted line orientation range (degrees from the image x axis).
    public var minThetaDegrees = -70.0
    public var maxThetaDegrees = 70.0
    /// Largest shift along the line direction between two parallel lines' middles.
    public var maxLineShiftMm = 10.0
    /// Pixels below this percentage of the filtered image's range are dropped.
    public var thresholdImagePercent = 10.0
    /// A third dot joins a line when it is at most this far from it.
    public var collinearPointsMaxDistanceFromLineMm = 0.6
    /// Score dots by original intensities near their centre instead of the filtered ones.
    public var useOriginalImageIntensityForDotIntensityScore = false
    /// More candidate dots than this marks the frame as failed.
    public var numberOfMaximumFiducialPointCandidates = 20

    /// PLUS's defaults.
    public init() {}

    /// The bar half-length in pixels, as PLUS rounds it.
    var barSizePx: Int { Int((morphologicalOpeningBarSizeMm / approximateSpacingMmPerPixel + 0.5).rounded(.down)) }
    /// The opening disc radius in pixels, as PLUS rounds it.
    var circleRadiusPx: Int { Int((morphologicalOpeningCircleRadiusMm / approximateSpacingMmPerPixel + 0.5).rounded(.down)) }

    /// Rounds `mm` to whole pixels as PLUS does (`floor(mm / spacing + 0.5)`).
    func px(_ mm: Double) -> Double { (mm / approximateSpacingMmPerPixel + 0.5).rounded(.down) }

    /// Checks the values that would make segmentation meaningless.
    public func validate() throws(NWireError) {
        guard approximateSpacingMmPerPixel > 0 else {
            throw .invalidParameter("ApproximateSpacingMmPerPixel must be > 0, got \(approximateSpacingMmPerPixel)")
        }
        guard morphologicalOpeningBarSizeMm >= 0, morphologicalOpeningCircleRadiusMm >= 0 else {
            throw .invalidParameter("MorphologicalOpeningBarSizeMm and MorphologicalOpeningCircleRadiusMm must be >= 0")
        }
        guard (0...100).contains(thresholdImagePercent) else {
            throw .invalidParameter("ThresholdImagePercent must be within 0...100, got \(thresholdImagePercent)")
        }
        guard numberOfMaximumFiducialPointCandidates > 0 else {
            throw .invalidParameter("NumberOfMaximumFiducialPointCandidates must be > 0")
        }
        guard minThetaDegrees < maxThetaDegrees else {
            throw .invalidParameter("MinThetaDegrees (\(minThetaDegrees)) must be below MaxThetaDegrees (\(maxThetaDegrees))")
        }
        if let s = clipRectangleSize, s.x <= 0 || s.y <= 0 {
            throw .invalidParameter("ClipRectangleSize must be positive, got \(s.x) \(s.y)")
        }
    }
}
