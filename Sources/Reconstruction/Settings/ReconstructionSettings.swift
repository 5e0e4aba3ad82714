import Geometry

/// Everything a `<VolumeReconstruction>` element of a PLUS device-set configuration can say,
/// with PLUS's defaults.
///
/// Pixel quantities (clip rectangle, fan origin and radii) are in MF image pixels, as in PLUS.
public struct ReconstructionSettings: Sendable, Equatable {
    /// How a pixel is spread into the volume.
    public enum Interpolation: String, Sendable, CaseIterable {
        /// The pixel goes to the single nearest voxel.
        case nearestNeighbor = "NEAREST_NEIGHBOR"
        /// The pixel is split over the 8 surrounding voxels by trilinear weight.
        case linear = "LINEAR"
    }

    /// PLUS's arithmetic variants. `full` (the default) uses 14-bit fixed point, which Freehand
    /// emulates bit for bit; `none` and `partial` use double precision; `opencl` is accepted and
    /// computed like `full` (Freehand has no OpenCL path).
    public enum Optimization: String, Sendable, CaseIterable {
        case none = "NONE", partial = "PARTIAL", full = "FULL", opencl = "GPU_ACCELERATION_OPENCL"
    }

    /// How several pixels landing in one voxel combine.
    public enum CompoundingMode: String, Sendable, CaseIterable {
        /// The last pixel wins.
        case latest = "LATEST"
        /// Weighted mean, weights kept in the accumulation buffer.
        case mean = "MEAN"
        /// The brightest pixel wins.
        case maximum = "MAXIMUM"
        /// Mean weighted by a per-pixel importance mask.
        case importanceMask = "IMPORTANCE_MASK"
    }

    /// Voxel type of the reconstructed volume.
    public enum OutputScalarMode: String, Sendable, CaseIterable {
        /// 8-bit unsigned (`VTK_UNSIGNED_CHAR`).
        case uint8 = "UNSIGNED_CHAR"
        /// 32-bit float (`VTK_FLOAT`).
        case float32 = "FLOAT"
    }

    /// Voxel size in mm (`OutputSpacing`, required).
    public var outputSpacing: SIMD3<Double>
    /// Centre of voxel (0,0,0) in the reference frame (`OutputOrigin`); used only with `outputExtent`.
    public var outputOrigin: SIMD3<Double>?
    /// Inclusive voxel index ranges x0 x1 y0 y1 z0 z1 (`OutputExtent`); nil = computed from the frames.
    public var outputExtent: [Int]?
    /// Top-left corner of the clip rectangle in pixels (`ClipRectangleOrigin`).
    public var clipRectangleOrigin: SIMD2<Int> = .zero
    /// Size of the clip rectangle in pixels (`ClipRectangleSize`); 0 0 = the whole frame.
    public var clipRectangleSize: SIMD2<Int> = .zero
    /// Left and right fan angles in degrees from +y (`FanAnglesDeg`); 0 0 = no fan clipping.
    public var fanAnglesDeg: SIMD2<Double> = .zero
    /// Fan apex in pixels (`FanOriginPixel`).
    public var fanOriginPixel: SIMD2<Double> = .zero
    /// Inner fan radius in pixels (`FanRadiusStartPixel`).
    public var fanRadiusStartPixel: Double = 0
    /// Outer fan radius in pixels (`FanRadiusStopPixel`).
    public var fanRadiusStopPixel: Double = 500
    /// Detect the fan angles of every frame inside `fanAnglesDeg` (`EnableFanAnglesAutoDetect`).
    public var enableFanAnglesAutoDetect: Bool = false
    /// Brightness threshold of the fan detector (`FanAnglesAutoDetectBrightnessThreshold`).
    public var fanAnglesAutoDetectBrightnessThreshold: Double = 30
    /// Moving-average radius of the fan detector (`FanAnglesAutoDetectFilterRadiusPixel`).
    public var fanAnglesAutoDetectFilterRadiusPixel: Int = 10
    /// Pixels darker than this (sum over components / components) are not pasted
    /// (`PixelRejectionThreshold`); nil = disabled.
    public var pixelRejectionThreshold: Double?
    /// Use every n-th frame (`SkipInterval`, >= 1).
    public var skipInterval: Int = 1
    /// `Interpolation`.
    public var interpolation: Interpolation = .nearestNeighbor
    /// `Optimization`.
    public var optimization: Optimization = .full
    /// `CompoundingMode` (missing = MEAN, as PLUS assumes).
    public var compoundingMode: CompoundingMode = .mean
    /// `ImportanceMaskFilename` (8-bit PNG, same size as the frames).
    public var importanceMaskFilename: String?
    /// `NumberOfThreads`; 0 = one per active processor. Results do not depend on it.
    public var numberOfThreads: Int = 0
    /// `FillHoles` ON/OFF.
    public var fillHoles: Bool = false
    /// The nested `<HoleFilling>` element's kernels, tried in order.
    public var holeFilling: [HoleFillingElement] = []
    /// `RecomputeOutputSpacing`: stretch the z spacing so the extent ends exactly on the data.
    public var recomputeOutputSpacing: Bool = false
    /// `ImageCoordinateFrame` (default `Image`).
    public var imageCoordinateFrame: String = "Image"
    /// `ReferenceCoordinateFrame` (default `Reference`).
    public var referenceCoordinateFrame: String = "Reference"
    /// `OutputScalarMode`; nil = the frames' type (uchar for 8-bit frames, float otherwise).
    public var outputScalarMode: OutputScalarMode?
    /// `FreehandMethod` (Freehand's own attribute, ignored by PLUS): PLUS splatting (default) or a backward method.
    public var method: ReconstructionMethod = .plus
    /// `FreehandMaxDistanceMm`, `FreehandNeighbours`, `FreehandWeighting`: backward-method parameters.
    public var backward = BackwardParameters()

    /// Settings with PLUS defaults and the given spacing.
    public init(outputSpacing: SIMD3<Double>) {
        self.outputSpacing = outputSpacing
    }

    /// The transform that maps frame pixels (scaled by ImageToProbe) into the output frame.
    public var imageToReferenceName: TransformName {
        TransformName(from: imageCoordinateFrame, to: referenceCoordinateFrame)
    }

    /// Whether fan clipping is configured (PLUS: either angle non-zero).
    public var hasFan: Bool { fanAnglesDeg.x != 0 || fanAnglesDeg.y != 0 }
}

/// One `<HoleFillingElement>`: a kernel type and its parameters as PLUS names them.
public struct HoleFillingElement: Sendable, Equatable {
    /// The kernel.
    public enum Kind: String, Sendable, CaseIterable {
        case gaussian = "GAUSSIAN"
        case gaussianAccumulation = "GAUSSIAN_ACCUMULATION"
        case distanceWeightInverse = "DISTANCE_WEIGHT_INVERSE"
        case nearestNeighbor = "NEAREST_NEIGHBOR"
        case stick = "STICK"
    }
    /// `Type`.
    public var kind: Kind
    /// `Size`: kernel edge in voxels (GAUSSIAN*, DISTANCE_WEIGHT_INVERSE, NEAREST_NEIGHBOR).
    public var size: Int
    /// `Stdev`: Gaussian standard deviation in voxels.
    public var stdev: Double
    /// `MinimumKnownVoxelsRatio`: fraction of known voxels needed in the kernel.
    public var minimumKnownVoxelsRatio: Double
    /// `StickLengthLimit` in voxels (STICK).
    public var stickLengthLimit: Int
    /// `NumberOfSticksToUse` (STICK).
    public var numberOfSticksToUse: Int

    public init(kind: Kind, size: Int = 3, stdev: Double = 1, minimumKnownVoxelsRatio: Double = 0.5,
                stickLengthLimit: Int = 9, numberOfSticksToUse: Int = 1) {
        self.kind = kind
        self.size = size
        self.stdev = stdev
        self.minimumKnownVoxelsRatio = minimumKnownVoxelsRatio
        self.stickLengthLimit = stickLengthLimit
        self.numberOfSticksToUse = numberOfSticksToUse
    }
}
