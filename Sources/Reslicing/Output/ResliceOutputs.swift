/// How a panoramic projection combines each slice row.
public enum PanoramaMode: String, Sendable, CaseIterable {
    /// Maximum intensity across the band (a dental panoramic X-ray look with bright bone).
    case maximum
    /// Mean intensity across the band (a thick-slab X-ray-like sum).
    case mean
}

/// Where a reslice writes its results; nil paths are not written.
public struct ResliceOutputs: Sendable {
    /// The slices as a tracked sequence (`.igs.mha`, `.mha`, `.igs.nrrd`, `.nrrd`, `.seq.nrrd`).
    public var slices: String?
    /// The slices stacked into a volume (`.nrrd`, `.mha`), for curve reslicing.
    public var straightened: String?
    /// The panoramic projection (8-bit PNG: one column per slice, one row per slice row).
    public var panorama: String?
    /// Maximum or mean across the band.
    public var panoramaMode: PanoramaMode
    /// Width in mm of the band across each slice (its x axis, centred on the curve) that the
    /// panorama projects; nil = the whole slice.
    public var panoramaThickness: Double?
    /// Compress the sequence and volume data.
    public var compressed: Bool

    public init(slices: String? = nil, straightened: String? = nil, panorama: String? = nil,
                panoramaMode: PanoramaMode = .maximum, panoramaThickness: Double? = nil, compressed: Bool = true) {
        self.slices = slices
        self.straightened = straightened
        self.panorama = panorama
        self.panoramaMode = panoramaMode
        self.panoramaThickness = panoramaThickness
        self.compressed = compressed
    }
}

/// What a reslice produced.
public struct ResliceReport: Sendable, Equatable {
    /// Slices written.
    public var sliceCount: Int
    /// Slices with no pixel inside the volume (zero-filled).
    public var emptySlices: Int
    /// Runs of consecutive valid slices whose centre lies outside the volume (inclusive slice indices).
    public var outsideRuns: [ClosedRange<Int>]
    /// Pixels sampled inside the volume, over all slices.
    public var pixelsInside: Int
}
