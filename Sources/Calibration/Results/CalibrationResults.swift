#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FileSafety
import Geometry

/// Calibration results as a PLUS device-set configuration fragment: a `<PlusConfiguration>`
/// whose `<CoordinateDefinitions>` hold `<Transform From To Matrix Error Date/>` elements (the
/// form fCal writes and `DeviceSetConfiguration.load` reads), plus PLUS's
/// `<TemporalCalibrationResults/>` element for a temporal calibration.
public struct CalibrationResults: Sendable {
    /// One calibrated transform.
    public struct Transform: Sendable, Hashable {
        public var name: TransformName
        public var matrix: Transform3D
        /// Calibration error (mm), PLUS's `Error` attribute.
        public var error: Double?
        /// PLUS date stamp, `MMDDYY_HHMMSS`.
        public var date: String
        public init(name: TransformName, matrix: Transform3D, error: Double? = nil, date: String = CalibrationResults.dateStamp()) {
            self.name = name; self.matrix = matrix; self.error = error; self.date = date
        }
    }

    /// A temporal calibration result.
    public struct Temporal: Sendable, Hashable {
        public var trackerLag: Double
        public var calibrationError: Double
        public var maxCalibrationError: Double
        public init(trackerLag: Double, calibrationError: Double, maxCalibrationError: Double) {
            self.trackerLag = trackerLag; self.calibrationError = calibrationError; self.maxCalibrationError = maxCalibrationError
        }
    }

    public var transforms: [Transform] = []
    public var temporal: Temporal?
    /// Free-text provenance written as an XML comment (tool, inputs).
    public var comment: String?

    public init(transforms: [Transform] = [], temporal: Temporal? = nil, comment: String? = nil) {
        self.transforms = transforms
        self.temporal = temporal
        self.comment = comment
    }

    /// Adds or replaces the transform with the same name (either direction).
    public mutating func set(_ t: Transform) {
        transforms.removeAll { $0.name == t.name || $0.name == t.name.inverted }
        transforms.append(t)
    }

    /// The XML text.
    public var xml: String {
        var s = "<PlusConfiguration version=\"2.3\">\n"
        if let comment { s += "  <!-- \(Self.escapeComment(comment)) -->\n" }
        s += "  <CoordinateDefinitions>\n"
        for t in transforms {
            let rows = (0..<4).map { r in (0..<4).map { formatNumber(t.matrix[r, $0]) }.joined(separator: " ") }
            s += "    <Transform From=\"\(t.name.from.xmlEscaped)\" To=\"\(t.name.to.xmlEscaped)\"\n"
            s += "      Matrix=\"\n        " + rows.joined(separator: "\n        ") + "\"\n"
            if let e = t.error { s += "      Error=\"\(formatNumber(e))\"" } else { s += "     " }
            s += " Date=\"\(t.date.xmlEscaped)\" />\n"
        }
        s += "  </CoordinateDefinitions>\n"
        if let t = temporal {
            s += "  <TemporalCalibrationResults TrackerLagSec=\"\(formatNumber(t.trackerLag))\" CalibrationError=\"\(formatNumber(t.calibrationError))\" MaxCalibrationError=\"\(formatNumber(t.maxCalibrationError))\" />\n"
        }
        s += "</PlusConfiguration>\n"
        return s
    }

    /// Why the file could not be written.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "cannot write calibration results to \(path): \(reason)" }
    }

    /// Writes the XML to `path`, creating the parent folder.
    public func write(to path: String) throws(WriteError) {
        if let slash = path.lastIndex(of: "/") {
            let dir = String(path[..<slash])
            if !dir.isEmpty { Self.makeDirectories(dir) }
        }
        // Through a temporary file renamed into place: a failed write leaves no partial file.
        do throws(FileSafetyError) { try AtomicOutput.write(xml, to: path) } catch {
            throw WriteError(path: path, reason: error.reason)
        }
    }

    /// PLUS's date stamp for `Date` attributes: `MMDDYY_HHMMSS`, local time.
    public static func dateStamp(_ time: time_t = time(nil)) -> String {
        var t = time
        var parts = tm()
        localtime_r(&t, &parts)
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return two(parts.tm_mon + 1) + two(parts.tm_mday) + two(parts.tm_year % 100) + "_" + two(parts.tm_hour) + two(parts.tm_min) + two(parts.tm_sec)
    }

    static func escapeComment(_ s: String) -> String {
        var t = s
        while t.contains("--") { t = t.replacingOccurrences(of: "--", with: "- -") }
        return t
    }

    private static func makeDirectories(_ dir: String) {
        var current = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            current += "/" + part
            mkdir(current, 0o755)
        }
    }
}

private extension String {
    func replacingOccurrences(of a: String, with b: String) -> String {
        var out = "", rest = Substring(self)
        while let r = rest.firstRange(of: a) { out += rest[..<r.lowerBound] + b; rest = rest[r.upperBound...] }
        return out + rest
    }
}
