/// The range of clinical ultrasound that a spacing or depth must fall in to be believed.
///
/// Depth settings on clinical scanners run from about 1.5 cm (high-frequency linear probes) to
/// 30 cm (abdominal curvilinear and phased arrays); frames are a few hundred to about 1,200 pixels
/// deep. So depths outside 5...350 mm are refused as typing errors, and a spacing outside
/// 0.02...1.0 mm/px means the depth or the detected region is wrong.
public enum SpacingPlausibility {
    /// Imaging depth (mm from the transducer face) accepted from a user.
    public static let depth: ClosedRange<Double> = 5...350
    /// Pixel spacing (mm/px) of clinical B-mode frames.
    public static let spacing: ClosedRange<Double> = 0.02...1.0

    /// Why `depth` (mm) is refused, nil when it is a plausible depth setting.
    public static func depthProblem(_ depth: Double) -> String? {
        depth.isFinite && Self.depth.contains(depth) ? nil
            : "--depth \(depth) mm is outside the depth settings of clinical scanners (\(formatted(Self.depth.lowerBound))...\(formatted(Self.depth.upperBound)) mm from the transducer face)"
    }
}

/// Pixel spacing from the imaging depth the scanner was set to: the depth (mm) divided by the
/// number of pixels from the transducer face to the deepest data, assuming square pixels.
///
/// The estimate is compared with what the data already says: the configuration's ImageToProbe
/// (PLUS keeps the scale there and stores `ElementSpacing 1` in its files) or, when the file has
/// a real ElementSpacing, that.
public struct SpacingEstimate: Sendable, Hashable {
    /// The region measured.
    public var region: ImagingRegion
    /// The depth given (mm).
    public var depth: Double
    /// Estimated spacing (mm/pixel).
    public var spacing: Double { depth / region.depthPixels }
    /// Spacing stored in the file (mm/pixel), if any; `1 1` (PLUS's convention) is not compared.
    public var fileSpacing: SIMD2<Double>?
    /// Spacing the configuration's ImageToProbe implies (mm/pixel, x and y), if any.
    public var imageToProbeSpacing: SIMD2<Double>?
    /// Relative disagreement above which a warning is given.
    public var tolerance: Double

    public init(region: ImagingRegion, depth: Double, fileSpacing: SIMD2<Double>? = nil, imageToProbeSpacing: SIMD2<Double>? = nil,
                tolerance: Double = 0.02) {
        self.region = region
        self.depth = depth
        self.fileSpacing = fileSpacing
        self.imageToProbeSpacing = imageToProbeSpacing
        self.tolerance = tolerance
    }

    /// Whether the file's ElementSpacing is PLUS's unit spacing (the scale lives in ImageToProbe).
    public var fileSpacingIsUnit: Bool { fileSpacing.map { $0.x == 1 && $0.y == 1 } ?? false }

    /// The depth the file's spacing implies (mm), from its y spacing.
    public var fileDepth: Double? { fileSpacing.map { $0.y * region.depthPixels } }

    /// Warnings: the spacing is implausible, or disagrees with ImageToProbe or ElementSpacing.
    public var warnings: [String] {
        var out: [String] = []
        if !SpacingPlausibility.spacing.contains(spacing) {
            out.append("\(formatted(spacing, decimals: 4)) mm/px (\(formatted(depth)) mm over \(formatted(region.depthPixels)) px) is outside the range of clinical ultrasound (\(formatted(SpacingPlausibility.spacing.lowerBound)) to \(formatted(SpacingPlausibility.spacing.upperBound)) mm/px): check --depth and the region found")
        }
        if let w = warning { out.append(w) }
        return out
    }

    /// A warning when the reference spacing (ImageToProbe, else a non-unit ElementSpacing)
    /// disagrees with the estimate by more than `tolerance`.
    public var warning: String? {
        if let p = imageToProbeSpacing {
            // The depth measures the y (row) spacing; x may differ in a calibration.
            guard abs(p.y - spacing) > tolerance * spacing else { return nil }
            return "the configuration's ImageToProbe implies \(formatted(p.y, decimals: 4)) mm/px along the depth (x \(formatted(p.x, decimals: 4))), not \(formatted(spacing, decimals: 4)) mm/px: "
                + "with it the \(formatted(region.depthPixels)) px deep image is \(formatted(p.y * region.depthPixels, decimals: 1)) mm deep, not \(formatted(depth, decimals: 1)) mm. "
                + "Check the depth on the scanner; if it is right, the calibration's scale is wrong (--apply writes \(formatted(spacing, decimals: 4)) mm/px into ImageToProbe)."
        }
        guard let file = fileSpacing, !fileSpacingIsUnit else { return nil }
        var problems: [String] = []
        for (axis, v) in [("x", file.x), ("y", file.y)] where abs(v - spacing) > tolerance * spacing {
            problems.append("\(axis) \(formatted(v, decimals: 4))")
        }
        guard !problems.isEmpty else { return nil }
        return "the file's ElementSpacing (\(problems.joined(separator: ", ")) mm/px) disagrees with \(formatted(spacing, decimals: 4)) mm/px: "
            + "with it the \(formatted(region.depthPixels)) px deep image would be \(formatted(fileDepth ?? 0, decimals: 1)) mm deep, not \(formatted(depth, decimals: 1)) mm. "
            + "Set the spacing to \(formatted(spacing, decimals: 4)) mm/px (or check the depth on the scanner)."
    }

    /// What the estimate was compared with, for the report.
    public var comparison: String {
        if let p = imageToProbeSpacing {
            return "ImageToProbe implies \(formatted(p.x, decimals: 4)) x \(formatted(p.y, decimals: 4)) mm/px" + (warning == nil ? ": agrees within \(formatted(tolerance * 100)) %" : "")
        }
        if fileSpacingIsUnit { return "the file stores ElementSpacing 1 (PLUS keeps the scale in ImageToProbe; give --config to compare with it)" }
        if let f = fileSpacing {
            return "the file's ElementSpacing is \(formatted(f.x, decimals: 4)) x \(formatted(f.y, decimals: 4)) mm/px" + (warning == nil ? ": agrees within \(formatted(tolerance * 100)) %" : "")
        }
        return "nothing to compare with (no ImageToProbe, no ElementSpacing)"
    }
}
