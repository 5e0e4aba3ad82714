import Recordings

extension ReconstructionSettings {
    /// Parses the attributes of a `<VolumeReconstruction>` element and its nested
    /// `<HoleFilling>` / `<HoleFillingElement>` attribute sets, applying PLUS defaults.
    /// Enum values are case-insensitive; errors name the attribute.
    public init(attributes: [String: String], holeFillingElements: [[String: String]] = []) throws(ReconstructionError) {
        let a = AttributeReader(attributes: attributes)
        guard let spacing = try a.doubles("OutputSpacing", count: 3) else {
            throw .invalidAttribute(name: "OutputSpacing", value: nil, reason: "required (three voxel sizes in mm)")
        }
        guard spacing.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw .invalidAttribute(name: "OutputSpacing", value: attributes["OutputSpacing"], reason: "voxel sizes must be positive")
        }
        self.init(outputSpacing: SIMD3(spacing[0], spacing[1], spacing[2]))
        if let o = try a.doubles("OutputOrigin", count: 3) { outputOrigin = SIMD3(o[0], o[1], o[2]) }
        if let e = try a.ints("OutputExtent", count: 6) {
            if e != [0, 0, 0, 0, 0, 0] {
                guard e[0] <= e[1], e[2] <= e[3], e[4] <= e[5] else {
                    throw .invalidAttribute(name: "OutputExtent", value: attributes["OutputExtent"], reason: "each range must be min <= max")
                }
                outputExtent = e
            }
        }
        if let v = try a.ints("ClipRectangleOrigin", count: 2) { clipRectangleOrigin = SIMD2(v[0], v[1]) }
        if let v = try a.ints("ClipRectangleSize", count: 2) {
            guard v[0] >= 0, v[1] >= 0 else {
                throw .invalidAttribute(name: "ClipRectangleSize", value: attributes["ClipRectangleSize"], reason: "sizes must not be negative")
            }
            clipRectangleSize = SIMD2(v[0], v[1])
        }
        // Deprecated spellings first, so the current ones win when both are present.
        if let v = try a.doubles("FanAngles", count: 2) { fanAnglesDeg = SIMD2(v[0], v[1]) }
        if let v = try a.doubles("FanAnglesDeg", count: 2) { fanAnglesDeg = SIMD2(v[0], v[1]) }
        if let v = try a.doubles("FanOrigin", count: 2) { fanOriginPixel = SIMD2(v[0], v[1]) }
        if let v = try a.doubles("FanOriginPixel", count: 2) { fanOriginPixel = SIMD2(v[0], v[1]) }
        if let v = try a.double("FanDepth") { fanRadiusStopPixel = v }
        if let v = try a.double("FanRadiusStartPixel") { fanRadiusStartPixel = v }
        if let v = try a.double("FanRadiusStopPixel") { fanRadiusStopPixel = v }
        if let v = try a.double("FanAnglesAutoDetectBrightnessThreshold") { fanAnglesAutoDetectBrightnessThreshold = v }
        if let v = try a.int("FanAnglesAutoDetectFilterRadiusPixel") {
            guard v >= 1 else { throw .invalidAttribute(name: "FanAnglesAutoDetectFilterRadiusPixel", value: String(v), reason: "must be at least 1") }
            fanAnglesAutoDetectFilterRadiusPixel = v
        }
        if let v = try a.bool("EnableFanAnglesAutoDetect") { enableFanAnglesAutoDetect = v }
        if let v = try a.double("PixelRejectionThreshold") { pixelRejectionThreshold = v }
        if let v = try a.int("SkipInterval") { skipInterval = max(1, v) }  // PLUS resets < 1 to 1
        if let v = try a.enumValue("Interpolation", Interpolation.self) { interpolation = v }
        if let v = try a.enumValue("Optimization", Optimization.self, aliases: ["OPENCL": .opencl]) { optimization = v }
        if let v = try a.enumValue("CompoundingMode", CompoundingMode.self) {
            compoundingMode = v
        } else if let c = attributes["Calculation"], c.uppercased() == "MAXIMUM" {
            compoundingMode = .maximum  // deprecated PLUS attribute
        } else if let c = attributes["Compounding"], c.uppercased() == "OFF" {
            compoundingMode = .latest  // deprecated PLUS attribute
        }
        importanceMaskFilename = attributes["ImportanceMaskFilename"].flatMap { $0.isEmpty ? nil : $0 }
        if compoundingMode == .importanceMask, importanceMaskFilename == nil {
            throw .invalidAttribute(name: "ImportanceMaskFilename", value: nil, reason: "required when CompoundingMode is IMPORTANCE_MASK")
        }
        if let v = try a.int("NumberOfThreads") {
            guard v >= 0 else { throw .invalidAttribute(name: "NumberOfThreads", value: String(v), reason: "must not be negative") }
            numberOfThreads = v
        }
        if let v = try a.bool("FillHoles") { fillHoles = v }
        if let v = try a.bool("RecomputeOutputSpacing") { recomputeOutputSpacing = v }
        if let v = attributes["ImageCoordinateFrame"], !v.isEmpty { imageCoordinateFrame = v }
        if let v = attributes["ReferenceCoordinateFrame"], !v.isEmpty { referenceCoordinateFrame = v }
        if let v = try a.enumValue("OutputScalarMode", OutputScalarMode.self,
                                   aliases: ["UCHAR": .uint8, "UINT8": .uint8, "VTK_UNSIGNED_CHAR": .uint8,
                                             "FLOAT32": .float32, "VTK_FLOAT": .float32]) {
            outputScalarMode = v
        }
        try parseBackwardAttributes(a)
        holeFilling = try holeFillingElements.enumerated().map { i, attrs throws(ReconstructionError) in
            try HoleFillingElement(attributes: attrs, index: i)
        }
        if fillHoles, holeFilling.isEmpty {
            throw .invalidAttribute(name: "FillHoles", value: "ON", reason: "needs a nested <HoleFilling> element with at least one <HoleFillingElement>")
        }
    }
}

extension HoleFillingElement {
    /// Parses one `<HoleFillingElement>`'s attributes; the parameters PLUS requires for the
    /// type are required here too.
    public init(attributes: [String: String], index: Int) throws(ReconstructionError) {
        guard let t = attributes["Type"] else { throw .invalidHoleFillingElement(index: index, reason: "attribute Type is required (GAUSSIAN, GAUSSIAN_ACCUMULATION, DISTANCE_WEIGHT_INVERSE, NEAREST_NEIGHBOR, STICK)") }
        guard let kind = Kind(rawValue: t.uppercased()) else {
            throw .invalidHoleFillingElement(index: index, reason: "Type=\"\(t)\" is not one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.init(kind: kind)
        func number(_ name: String) throws(ReconstructionError) -> Double {
            guard let s = attributes[name] else { throw .invalidHoleFillingElement(index: index, reason: "attribute \(name) is required for Type=\(kind.rawValue)") }
            guard let v = Double(s.trimmingCharacters()) else { throw .invalidHoleFillingElement(index: index, reason: "attribute \(name)=\"\(s)\" is not a number") }
            return v
        }
        switch kind {
        case .gaussian, .gaussianAccumulation:
            size = Int(try number("Size")); stdev = try number("Stdev"); minimumKnownVoxelsRatio = try number("MinimumKnownVoxelsRatio")
        case .distanceWeightInverse, .nearestNeighbor:
            size = Int(try number("Size")); minimumKnownVoxelsRatio = try number("MinimumKnownVoxelsRatio")
        case .stick:
            stickLengthLimit = Int(try number("StickLengthLimit")); numberOfSticksToUse = Int(try number("NumberOfSticksToUse"))
        }
        if (kind != .stick && size < 1) || (kind == .stick && (stickLengthLimit < 1 || numberOfSticksToUse < 1)) {
            throw .invalidHoleFillingElement(index: index, reason: "sizes and counts must be at least 1")
        }
    }
}

/// Typed access to XML attribute strings with errors that name the attribute.
struct AttributeReader {
    let attributes: [String: String]

    func fields(_ name: String) -> [Substring]? {
        guard let s = attributes[name] else { return nil }
        return s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
    }

    func doubles(_ name: String, count: Int) throws(ReconstructionError) -> [Double]? {
        guard let f = fields(name) else { return nil }
        let v = f.compactMap { Double($0) }
        guard v.count == count, f.count == count, v.allSatisfy(\.isFinite) else {
            throw .invalidAttribute(name: name, value: attributes[name], reason: "expected \(count) numbers")
        }
        return v
    }

    func ints(_ name: String, count: Int) throws(ReconstructionError) -> [Int]? {
        guard let d = try doubles(name, count: count) else { return nil }
        guard d.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) else {
            throw .invalidAttribute(name: name, value: attributes[name], reason: "expected \(count) integers")
        }
        return d.map { Int($0) }
    }

    func double(_ name: String) throws(ReconstructionError) -> Double? { try doubles(name, count: 1)?[0] }
    func int(_ name: String) throws(ReconstructionError) -> Int? { try ints(name, count: 1)?[0] }

    func bool(_ name: String) throws(ReconstructionError) -> Bool? {
        guard let s = attributes[name] else { return nil }
        switch s.trimmingCharacters().uppercased() {
        case "TRUE", "ON", "YES", "1": return true
        case "FALSE", "OFF", "NO", "0": return false
        default: throw .invalidAttribute(name: name, value: s, reason: "expected TRUE/FALSE or ON/OFF")
        }
    }

    func enumValue<E: RawRepresentable & CaseIterable>(_ name: String, _ type: E.Type, aliases: [String: E] = [:]) throws(ReconstructionError) -> E? where E.RawValue == String {
        guard let s = attributes[name] else { return nil }
        let key = s.trimmingCharacters().uppercased()
        if let v = E(rawValue: key) ?? aliases[key] { return v }
        throw .invalidAttribute(name: name, value: s, reason: "expected one of \(E.allCases.map(\.rawValue).joined(separator: ", ")) (case-insensitive)")
    }
}

extension String {
    /// Without leading and trailing whitespace.
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension ReconstructionSettings {
    /// Parses a `<VolumeReconstruction>` element (for example `DeviceSetConfiguration.volumeReconstruction`)
    /// with its nested `<HoleFilling>/<HoleFillingElement>` children.
    public init(element: ConfigElement) throws(ReconstructionError) {
        let holeFilling = element.first("HoleFilling")?.all("HoleFillingElement") ?? element.all("HoleFillingElement")
        try self.init(attributes: element.attributes, holeFillingElements: holeFilling.map(\.attributes))
    }
}
