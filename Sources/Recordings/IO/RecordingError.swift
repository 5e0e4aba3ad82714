/// Why a recording, volume or configuration file could not be read or written.
///
/// Every case names the file and, where there is one, the header field at fault, so a user can
/// open the file and fix it.
public enum RecordingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, created or read at the operating-system level.
    case io(file: String, message: String)
    /// A required header field is absent.
    case missingField(file: String, field: String)
    /// A header field is present but its value cannot be used.
    case invalidField(file: String, field: String, value: String, reason: String)
    /// The value is valid but this reader does not handle it.
    case unsupported(file: String, field: String, value: String)
    /// The file ends before all the data the header announces.
    case truncated(file: String, field: String, expectedBytes: Int, availableBytes: Int)
    /// The compressed pixel data is corrupt.
    case corruptData(file: String, field: String, message: String)
    /// The file extension does not name a format this reader knows.
    case unknownFormat(file: String)
    /// An XML configuration file is malformed.
    case malformedXML(file: String, line: Int, message: String)

    public var description: String {
        let clean = RecordingError.printable
        switch self {
        case let .io(file, message):
            return "\(file): \(message)"
        case let .missingField(file, field):
            return "\(file): required field '\(clean(field))' is missing"
        case let .invalidField(file, field, value, reason):
            return "\(file): field '\(clean(field))' has invalid value '\(clean(value))': \(reason)"
        case let .unsupported(file, field, value):
            return "\(file): field '\(clean(field))' = '\(clean(value))' is not supported"
        case let .truncated(file, field, expected, available):
            return "\(file): data for '\(clean(field))' is truncated: needs \(expected) bytes, only \(available) available"
        case let .corruptData(file, field, message):
            return "\(file): data for '\(clean(field))' is corrupt: \(message)"
        case let .unknownFormat(file):
            return "\(file): unknown file format (expected .mha, .mhd, .igs.mha, .nrrd, .igs.nrrd, .seq.nrrd)"
        case let .malformedXML(file, line, message):
            return "\(file): line \(line): malformed XML: \(message)"
        }
    }

    /// A header text safe to print: control and non-ASCII bytes as `?`, at most 80 characters.
    static func printable(_ text: String) -> String {
        var out = String(text.unicodeScalars.prefix(80).map { $0.value >= 0x20 && $0.value < 0x7f ? Character($0) : "?" })
        if text.unicodeScalars.count > 80 { out += "..." }
        return out
    }
}
