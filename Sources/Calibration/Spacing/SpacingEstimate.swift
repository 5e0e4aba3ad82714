/// Pixel spacing from the imaging depth the scanner was set to: the depth (mm) divided by the
/// number of pixels from the transducer face to the deepest data, assuming square pixels.
public struct SpacingEstimate: Sendable, Hashable {
    /// The region measured.
    public var region: ImagingRegion
    /// The depth given (mm).
    public var depth: Double
    /// Estimated spacing (mm/pixel).
    public var spacing: Double { depth / region.depthPixels }
    /// Spacing stored in the file (mm/pixel), if any.
    public var fileSpacing: SIMD2<Double>?
    /// Relative disagreement above which a warning is given.
    public var tolerance: Double

    public init(region: ImagingRegion, depth: Double, fileSpacing: SIMD2<Double>? = nil, tolerance: Double = 0.02) {
        self.region = region
        self.depth = depth
        self.fileSpacing = fileSpacing
        self.tolerance = tolerance
    }

    /// The depth the file's spacing implies (mm), from its y spacing.
    public var fileDepth: Double? { fileSpacing.map { $0.y * region.depthPixels } }

    /// A warning when the file's spacing disagrees with the estimate by more than `tolerance`.
    public var warning: String? {
        guard let file = fileSpacing else { return nil }
        var problems: [String] = []
        for (axis, v) in [("x", file.x), ("y", file.y)] where abs(v - spacing) > tolerance * spacing {
            problems.append("\(axis) \(formatted(v, decimals: 4))")
        }
        guard !problems.isEmpty else { return nil }
        return "the file's ElementSpacing (\(problems.joined(separator: ", ")) mm/px) disagrees with \(formatted(spacing, decimals: 4)) mm/px: "
            + "with it the \(formatted(region.depthPixels)) px deep image would be \(formatted(fileDepth ?? 0, decimals: 1)) mm deep, not \(formatted(depth, decimals: 1)) mm. "
            + "Set the spacing to \(formatted(spacing, decimals: 4)) mm/px (or check the depth on the scanner)."
    }
}
