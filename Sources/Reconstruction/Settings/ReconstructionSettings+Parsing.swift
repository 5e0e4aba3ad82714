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
        try validate()
    }

    /// Checks every number, however it was set (configuration or command-line option), so
    /// nothing NaN, infinite, negative, zero where it must not be, or absurdly large reaches the
    /// reconstruction. Errors name the attribute and its value.
    public func validate() throws(ReconstructionError) {
        func fail(_ name: String, _ value: String, _ rule: String) -> ReconstructionError {
            .invalidAttribute(name: name, value: value, reason: rule)
        }
        func text(_ v: [Double]) -> String { v.map { String($0) }.joined(separator: " ") }
        let spacing = [outputSpacing.x, outputSpacing.y, outputSpacing.z]
        guard spacing.allSatisfy({ $0.isFinite && $0 >= 1e-4 && $0 <= 1e4 }) else {
            throw fail("OutputSpacing", text(spacing), "voxel sizes must be from 0.0001 to 10000 mm")
        }
        if let o = outputOrigin, ![o.x, o.y, o.z].allSatisfy({ $0.isFinite && abs($0) <= 1e7 }) {
            throw fail("OutputOrigin", text([o.x, o.y, o.z]), "must be finite and within 10 km")
        }
        if let e = outputExtent {
            guard e.count == 6, e[0] <= e[1], e[2] <= e[3], e[4] <= e[5] else {
                throw fail("OutputExtent", e.map(String.init).joined(separator: " "), "expected x0 x1 y0 y1 z0 z1 with each min <= max")
            }
        }
        let pixelLimit = 1 << 20
        for (name, v) in [("ClipRectangleOrigin", clipRectangleOrigin), ("ClipRectangleSize", clipRectangleSize)] {
            guard v.x >= 0, v.y >= 0, v.x <= pixelLimit, v.y <= pixelLimit else {
                throw fail(name, "\(v.x) \(v.y)", "must be from 0 to \(pixelLimit) pixels")
            }
        }
        guard fanAnglesDeg.x.isFinite, fanAnglesDeg.y.isFinite, abs(fanAnglesDeg.x) <= 180, abs(fanAnglesDeg.y) <= 180 else {
            throw fail("FanAnglesDeg", text([fanAnglesDeg.x, fanAnglesDeg.y]), "angles must be from -180 to 180 degrees")
        }
        guard fanOriginPixel.x.isFinite, fanOriginPixel.y.isFinite, abs(fanOriginPixel.x) <= 1e7, abs(fanOriginPixel.y) <= 1e7 else {
            throw fail("FanOriginPixel", text([fanOriginPixel.x, fanOriginPixel.y]), "must be finite and within 10^7 pixels")
        }
        for (name, v) in [("FanRadiusStartPixel", fanRadiusStartPixel), ("FanRadiusStopPixel", fanRadiusStopPixel)] {
            guard v.isFinite, v >= 0, v <= 1e7 else { throw fail(name, String(v), "must be from 0 to 10^7 pixels") }
        }
        if hasFan, fanRadiusStartPixel >= fanRadiusStopPixel {
            throw fail("FanRadiusStartPixel", String(fanRadiusStartPixel), "must be below FanRadiusStopPixel (\(fanRadiusStopPixel)): the fan would hold no pixel")
        }
        guard fanAnglesAutoDetectBrightnessThreshold.isFinite else {
            throw fail("FanAnglesAutoDetectBrightnessThreshold", String(fanAnglesAutoDetectBrightnessThreshold), "must be finite")
        }
        guard (1...10_000).contains(fanAnglesAutoDetectFilterRadiusPixel) else {
            throw fail("FanAnglesAutoDetectFilterRadiusPixel", String(fanAnglesAutoDetectFilterRadiusPixel), "must be from 1 to 10000")
        }
        if let t = pixelRejectionThreshold, !t.isFinite {
            throw fail("PixelRejectionThreshold", String(t), "must be finite")
        }
        guard (1...1_000_000).contains(skipInterval) else {
            throw fail("SkipInterval", String(skipInterval), "must be from 1 to 1000000")
        }
        guard (0...1024).contains(numberOfThreads) else {
            throw fail("NumberOfThreads", String(numberOfThreads), "must be from 0 (one per core) to 1024")
        }
        for (i, element) in holeFilling.enumerated() { try element.validate(index: i) }
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
            guard let v = Double(s.trimmingCharacters()), v.isFinite else {
                throw .invalidHoleFillingElement(index: index, reason: "attribute \(name)=\"\(s)\" is not a finite number")
            }
            return v
        }
        // Integers are range-checked as doubles before conversion, so no value can trap.
        func integer(_ name: String, _ range: ClosedRange<Int>) throws(ReconstructionError) -> Int {
            let v = try number(name)
            guard v == v.rounded(), v >= Double(range.lowerBound), v <= Double(range.upperBound) else {
                throw .invalidHoleFillingElement(index: index, reason: "attribute \(name)=\"\(attributes[name] ?? "")\" must be an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return Int(v)
        }
        switch kind {
        case .gaussian, .gaussianAccumulation:
            size = try integer("Size", HoleFillingElement.sizeRange); stdev = try number("Stdev")
            minimumKnownVoxelsRatio = try number("MinimumKnownVoxelsRatio")
        case .distanceWeightInverse, .nearestNeighbor:
            size = try integer("Size", HoleFillingElement.sizeRange); minimumKnownVoxelsRatio = try number("MinimumKnownVoxelsRatio")
        case .stick:
            stickLengthLimit = try integer("StickLengthLimit", HoleFillingElement.stickLengthRange)
            numberOfSticksToUse = try integer("NumberOfSticksToUse", 1...HoleFillingKernel.sticks.count)
        }
        try validate(index: index)
    }

    /// Largest accepted kernel `Size` (a cube of 255^3 weights is 16 M doubles).
    public static let sizeRange = 1...255
    /// Accepted `StickLengthLimit`.
    public static let stickLengthRange = 1...1000

    /// Checks the parameters (whatever set them); `index` names the element in messages.
    public func validate(index: Int) throws(ReconstructionError) {
        func fail(_ name: String, _ value: String, _ rule: String) -> ReconstructionError {
            .invalidHoleFillingElement(index: index, reason: "attribute \(name)=\"\(value)\" \(rule)")
        }
        switch kind {
        case .gaussian, .gaussianAccumulation, .distanceWeightInverse, .nearestNeighbor:
            guard Self.sizeRange.contains(size) else { throw fail("Size", String(size), "must be from 1 to \(Self.sizeRange.upperBound)") }
            guard minimumKnownVoxelsRatio.isFinite, minimumKnownVoxelsRatio >= 0, minimumKnownVoxelsRatio <= 1 else {
                throw fail("MinimumKnownVoxelsRatio", String(minimumKnownVoxelsRatio), "must be from 0 to 1")
            }
            if kind == .gaussian || kind == .gaussianAccumulation {
                guard stdev.isFinite, stdev > 0, stdev <= 1000 else { throw fail("Stdev", String(stdev), "must be above 0 and at most 1000 voxels") }
            }
        case .stick:
            guard Self.stickLengthRange.contains(stickLengthLimit) else {
                throw fail("StickLengthLimit", String(stickLengthLimit), "must be from 1 to \(Self.stickLengthRange.upperBound)")
            }
            guard (1...HoleFillingKernel.sticks.count).contains(numberOfSticksToUse) else {
                throw fail("NumberOfSticksToUse", String(numberOfSticksToUse), "must be from 1 to \(HoleFillingKernel.sticks.count)")
            }
        }
    }

    /// Voxels one hole visits at most (the kernel cube, or every stick both ways), for the
    /// time estimate of hole filling.
    public var visitsPerHole: Int {
        kind == .stick ? 2 * stickLengthLimit * HoleFillingKernel.sticks.count : size * size * size
    }

    /// Bytes of the precomputed kernel weights.
    public var kernelBytes: Int {
        kind == .gaussian || kind == .gaussianAccumulation || kind == .distanceWeightInverse ? size * size * size * 8 : 0
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

extension ReconstructionSettings {
    /// One line per obsolete `<VolumeReconstruction>` attribute in `attributes`, saying what it is
    /// read as. The mapping is PLUS's (vtkIGSIOVolumeReconstructor::ReadConfiguration, "DEPRECATED
    /// XML tags", 2014-08-15, #923): `FanAngles` -> `FanAnglesDeg`, `FanOrigin` -> `FanOriginPixel`,
    /// `FanDepth` -> `FanRadiusStopPixel` (the new spelling wins when both are present), and, only
    /// when `CompoundingMode` is absent, `Calculation="MAXIMUM"` -> MAXIMUM, `Compounding="OFF"`
    /// -> LATEST, otherwise MEAN.
    public static func obsoleteAttributeNotices(_ attributes: [String: String]) -> [String] {
        var notices: [String] = []
        for (old, new) in [("FanAngles", "FanAnglesDeg"), ("FanOrigin", "FanOriginPixel"), ("FanDepth", "FanRadiusStopPixel")] {
            guard let v = attributes[old] else { continue }
            notices.append(attributes[new] != nil
                ? "notice: obsolete attribute \(old)=\"\(v)\" ignored: \(new)=\"\(attributes[new]!)\" is set"
                : "notice: obsolete attribute \(old)=\"\(v)\" read as \(new)=\"\(v)\" (as PLUS does)")
        }
        for old in ["Calculation", "Compounding"] {
            guard let v = attributes[old] else { continue }
            if let mode = attributes["CompoundingMode"] {
                notices.append("notice: obsolete attribute \(old)=\"\(v)\" ignored: CompoundingMode=\"\(mode)\" is set")
            } else {
                let mode: CompoundingMode
                if attributes["Calculation"]?.trimmingCharacters().uppercased() == "MAXIMUM" { mode = .maximum }
                else if attributes["Compounding"]?.trimmingCharacters().uppercased() == "OFF" { mode = .latest }
                else { mode = .mean }
                notices.append("notice: obsolete attribute \(old)=\"\(v)\" read as CompoundingMode=\"\(mode.rawValue)\" (as PLUS does)")
            }
        }
        return notices
    }
}
