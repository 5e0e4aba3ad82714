import Geometry
import Recordings

extension ReconstructionSetup {
    /// The files and command-line overrides a setup combines; nil/empty leaves the
    /// configuration's value.
    public struct Request: Sendable, Equatable {
        /// The recording reconstructed or streamed (its folder is searched for
        /// `<name>.config.xml` and the importance mask).
        public var recording: String?
        /// The PLUS device-set configuration (`--config`).
        public var config: String?
        /// Device-set files whose `<CoordinateDefinitions>` override the configuration's (`--calibration`).
        public var calibrations: [String] = []
        /// Voxel size in mm: one value (isotropic) or three (x y z).
        public var spacing: [Double] = []
        public var interpolation: ReconstructionSettings.Interpolation?
        /// PLUS splatting or a backward method (`--method`).
        public var method: ReconstructionMethod?
        public var compounding: ReconstructionSettings.CompoundingMode?
        /// On: fill holes (with a STICK kernel when none is configured); off: never.
        public var fillHoles: Bool?
        /// Use every n-th frame (>= 1).
        public var skipInterval: Int?
        /// `ImageCoordinateFrame` / `ReferenceCoordinateFrame`.
        public var imageFrame: String?
        public var referenceFrame: String?
        /// A fixed grid: origin (mm) of voxel (0,0,0) and inclusive extent x0 x1 y0 y1 z0 z1.
        public var origin: SIMD3<Double>?
        public var extent: [Int]?
        /// A volume whose grid (origin, spacing, size) the reconstruction uses (`--grid-from`);
        /// its axes must be the identity, as reconstructions' are.
        public var gridVolume: String?
        /// A separate tracker recording whose poses are paired with the recording's frames (`--tracker`).
        public var tracker: String?
        /// The tracker's time offset in seconds (`--tracker-offset`); nil: the configuration's.
        public var trackerOffset: Double?
        /// The files the command will write, checked against the inputs and each other before
        /// anything is read.
        public var outputs: [Output] = []

        /// One file a command writes.
        public struct Output: Sendable, Equatable {
            public var role: String
            public var path: String
            /// A volume or sequence (a `.mhd` also writes `.raw`/`.zraw` beside it).
            public var isVolume: Bool
            public init(_ role: String, _ path: String, isVolume: Bool = true) {
                self.role = role
                self.path = path
                self.isVolume = isVolume
            }
        }

        public init(recording: String? = nil, config: String? = nil, calibrations: [String] = []) {
            self.recording = recording
            self.config = config
            self.calibrations = calibrations
        }

        /// PLUS's default kernel when hole filling is asked for and none is configured.
        public static let defaultHoleFilling = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)]

        /// Checks the overrides' numbers (option parsers call this from `validate()`).
        public func validate() throws(ReconstructionSetupError) {
            guard [0, 1, 3].contains(spacing.count) else {
                throw .invalidOption(name: "--spacing", value: spacing.map(formatNumber).joined(separator: " "), reason: "takes one value or three (x y z)")
            }
            if let bad = spacing.first(where: { !($0.isFinite && $0 > 0 && $0 < 1e6) }) {
                throw .invalidOption(name: "--spacing", value: formatNumber(bad), reason: "must be a positive number of mm")
            }
            if let skipInterval, skipInterval < 1 {
                throw .invalidOption(name: "--skip-interval", value: String(skipInterval), reason: "must be at least 1")
            }
            if gridVolume != nil, !spacing.isEmpty || origin != nil {
                throw .invalidOption(name: "--grid-from", value: gridVolume ?? "", reason: "sets origin, spacing and size: leave out --spacing, --origin and --extent")
            }
            guard (origin == nil) == (extent == nil) else {
                throw .invalidOption(name: origin == nil ? "--extent" : "--origin", value: "", reason: "--origin and --extent go together")
            }
            if let origin, !(origin.x.isFinite && origin.y.isFinite && origin.z.isFinite) {
                throw .invalidOption(name: "--origin", value: "\(origin)", reason: "must be finite")
            }
            if let extent {
                let text = extent.map(String.init).joined(separator: ",")
                guard extent.count == 6 else { throw .invalidOption(name: "--extent", value: text, reason: "takes 6 integers x0,x1,y0,y1,z0,z1") }
                for a in 0..<3 where extent[2 * a + 1] < extent[2 * a] || extent[2 * a + 1] - extent[2 * a] >= 1 << 20 {
                    throw .invalidOption(name: "--extent", value: text, reason: "each axis needs first <= last, fewer than 1048576 voxels")
                }
            }
        }

        /// Applies the overrides to configured settings.
        func apply(to settings: inout ReconstructionSettings) {
            switch spacing.count {
            case 1: settings.outputSpacing = SIMD3(repeating: spacing[0])
            case 3: settings.outputSpacing = SIMD3(spacing[0], spacing[1], spacing[2])
            default: break
            }
            if let interpolation { settings.interpolation = interpolation }
            if let method { settings.method = method }
            if let compounding { settings.compoundingMode = compounding }
            if let skipInterval { settings.skipInterval = skipInterval }
            if let fillHoles {
                settings.fillHoles = fillHoles
                if fillHoles && settings.holeFilling.isEmpty { settings.holeFilling = Self.defaultHoleFilling }
            }
            if let imageFrame { settings.imageCoordinateFrame = imageFrame }
            if let referenceFrame { settings.referenceCoordinateFrame = referenceFrame }
            if let origin, let extent {
                settings.outputOrigin = origin
                settings.outputExtent = extent
            }
        }
    }
}

extension ReconstructionSetup.Request {
    /// The request with `gridVolume`'s origin, spacing and extent as the fixed grid.
    func onGridVolume() throws -> Self {
        guard let path = gridVolume else { return self }
        // The header only: the voxels are not needed.
        guard try !VolumeSummary(path: path, valueRange: false).isSequence else {
            throw ReconstructionSetupError.invalidOption(name: "--grid-from", value: path,
                                                         reason: "is a recording (a tracked sequence), not a volume: give the volume whose grid to use")
        }
        let g = try VolumeSlabReader.geometry(path)
        guard g.direction == [1, 0, 0, 0, 1, 0, 0, 0, 1] else {
            throw ReconstructionSetupError.invalidOption(name: "--grid-from", value: path,
                                                         reason: "needs a volume with identity axis directions, as reconstructions have")
        }
        var r = self
        r.spacing = [g.spacing.x, g.spacing.y, g.spacing.z]
        r.origin = g.origin
        r.extent = [0, g.dimensions.x - 1, 0, g.dimensions.y - 1, 0, g.dimensions.z - 1]
        return r
    }
}
