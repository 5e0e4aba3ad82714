import Recordings

extension NWireSegmentationParameters {
    /// Reads the `<Segmentation>` element of a configuration (the root or the element itself);
    /// missing attributes keep PLUS's defaults, a missing element gives all defaults.
    public init(configuration element: ConfigElement) throws(NWireError) {
        self.init()
        guard let s = element.name == "Segmentation" ? element : element.first("Segmentation") else { return }
        func number(_ name: String) throws(NWireError) -> Double? {
            guard let text = s[attribute: name] else { return nil }
            guard let v = s.numbers(name), v.count == 1 else {
                throw .invalidParameter("\(name)=\"\(text)\" (line \(s.line)) is not a number")
            }
            return v[0]
        }
        func pair(_ name: String) throws(NWireError) -> SIMD2<Int>? {
            guard let text = s[attribute: name] else { return nil }
            guard let v = s.numbers(name), v.count == 2, v.allSatisfy({ $0 == $0.rounded() }) else {
                throw .invalidParameter("\(name)=\"\(text)\" (line \(s.line)) needs two integers")
            }
            return SIMD2(Int(v[0]), Int(v[1]))
        }
        if let v = try number("ApproximateSpacingMmPerPixel") { approximateSpacingMmPerPixel = v }
        if let v = try number("MorphologicalOpeningCircleRadiusMm") { morphologicalOpeningCircleRadiusMm = v }
        if let v = try number("MorphologicalOpeningBarSizeMm") { morphologicalOpeningBarSizeMm = v }
        let origin = try pair("ClipRectangleOrigin"), size = try pair("ClipRectangleSize")
        if let origin, let size { clipRectangleOrigin = origin; clipRectangleSize = size } else { clipRectangleOrigin = nil; clipRectangleSize = nil }
        if let v = try number("MaxLinePairDistanceErrorPercent") { maxLinePairDistanceErrorPercent = v }
        if let v = try number("AngleToleranceDegrees") { angleToleranceDegrees = v }
        if let v = try number("MaxAngleDifferenceDegrees") { maxAngleDifferenceDegrees = v }
        if let v = try number("MinThetaDegrees") { minThetaDegrees = v }
        if let v = try number("MaxThetaDegrees") { maxThetaDegrees = v }
        if let v = try number("MaxLineShiftMm") { maxLineShiftMm = v }
        if let v = try number("ThresholdImagePercent") { thresholdImagePercent = v }
        if let v = try number("CollinearPointsMaxDistanceFromLineMm") { collinearPointsMaxDistanceFromLineMm = v }
        if let v = try number("NumberOfMaximumFiducialPointCandidates") { numberOfMaximumFiducialPointCandidates = Int(v) }
        if let text = s[attribute: "UseOriginalImageIntensityForDotIntensityScore"] {
            switch text.lowercased() {
            case "true", "1": useOriginalImageIntensityForDotIntensityScore = true
            case "false", "0": useOriginalImageIntensityForDotIntensityScore = false
            default: throw .invalidParameter("UseOriginalImageIntensityForDotIntensityScore=\"\(text)\" (line \(s.line)) must be TRUE or FALSE")
            }
        }
        try validate()
    }
}
