/// One hole-filling kernel, as PLUS's `<HoleFillingElement>` describes it. A `HoleFiller`
/// tries its elements in order for each empty voxel until one succeeds.
public struct HoleFillingElement: Sendable, Hashable {
    /// The kernel types of PLUS / IGSIO `vtkIGSIOFillHolesInVolume`.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// Gaussian-weighted mean of the known voxels in a `size`^3 cube.
        case gaussian = "GAUSSIAN"
        /// As `gaussian`, each weight also multiplied by the voxel's accumulation.
        case gaussianAccumulation = "GAUSSIAN_ACCUMULATION"
        /// Mean of the known voxels in a `size`^3 cube weighted by 1 / distance.
        case distanceWeightInverse = "DISTANCE_WEIGHT_INVERSE"
        /// Plain mean of the known voxels in the smallest cube (up to `size`) holding any.
        case nearestNeighbor = "NEAREST_NEIGHBOR"
        /// Interpolation between the nearest known voxels at both ends of 13 "sticks"
        /// through the voxel, the shortest sticks weighted most.
        case stick = "STICK"
    }

    /// The kernel type.
    public var kind: Kind
    /// Cube edge in voxels (GAUSSIAN*, DISTANCE_WEIGHT_INVERSE, NEAREST_NEIGHBOR); the
    /// neighbourhood reaches `(size - 1) / 2` voxels each way.
    public var size: Int
    /// Gaussian standard deviation in voxels (GAUSSIAN*).
    public var stdev: Double
    /// The fraction of the `size`^3 cube that must be known for the kernel to succeed
    /// (strictly more than this), as PLUS's `MinimumKnownVoxelsRatio`.
    public var minimumKnownVoxelsRatio: Double
    /// Longest stick in voxels, both ends and the hole included (STICK).
    public var stickLengthLimit: Int
    /// How many of the best sticks are averaged (STICK).
    public var numberOfSticksToUse: Int

    /// An element with PLUS's defaults for the fields its type does not use.
    public init(kind: Kind, size: Int = 3, stdev: Double = 0, minimumKnownVoxelsRatio: Double = 0,
                stickLengthLimit: Int = 0, numberOfSticksToUse: Int = 1) {
        self.kind = kind
        self.size = size
        self.stdev = stdev
        self.minimumKnownVoxelsRatio = minimumKnownVoxelsRatio
        self.stickLengthLimit = stickLengthLimit
        self.numberOfSticksToUse = numberOfSticksToUse
    }

    /// Reads the attributes of a `<HoleFillingElement>`: `Type` (case-insensitive) and the
    /// attributes that type needs, as PLUS requires them: `Size`, `MinimumKnownVoxelsRatio`
    /// (and `Stdev` for the Gaussians) or `StickLengthLimit` and `NumberOfSticksToUse`.
    public init(attributes: [String: String]) throws(HoleFillingError) {
        guard let typeText = attributes["Type"] else { throw .missingType }
        guard let kind = Kind.allCases.first(where: { $0.rawValue == typeText.uppercased() }) else {
            throw .unknownType(typeText)
        }
        self.init(kind: kind)
        let type = kind.rawValue

        func text(_ name: String) throws(HoleFillingError) -> String {
            guard let v = attributes[name] else { throw .missingAttribute(type: type, attribute: name) }
            return v
        }
        func integer(_ name: String, atLeast minimum: Int) throws(HoleFillingError) -> Int {
            let v = try text(name)
            guard let n = Int(v.trimmedForHoleFilling()), n >= minimum else {
                throw .invalidAttribute(type: type, attribute: name, value: v, expected: "an integer >= \(minimum)")
            }
            return n
        }
        func real(_ name: String, positive: Bool) throws(HoleFillingError) -> Double {
            let v = try text(name)
            guard let x = Double(v.trimmedForHoleFilling()), x.isFinite, positive ? x > 0 : x >= 0 else {
                throw .invalidAttribute(type: type, attribute: name, value: v,
                                        expected: positive ? "a number > 0" : "a number >= 0")
            }
            return x
        }

        switch kind {
        case .gaussian, .gaussianAccumulation, .distanceWeightInverse, .nearestNeighbor:
            if kind == .gaussian || kind == .gaussianAccumulation { stdev = try real("Stdev", positive: true) }
            size = try integer("Size", atLeast: 1)
            minimumKnownVoxelsRatio = try real("MinimumKnownVoxelsRatio", positive: false)
        case .stick:
            stickLengthLimit = try integer("StickLengthLimit", atLeast: 1)
            numberOfSticksToUse = try integer("NumberOfSticksToUse", atLeast: 1)
        }
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line ends.
    fileprivate func trimmedForHoleFilling() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
