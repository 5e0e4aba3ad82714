/// Why a markups file could not be read or written; every case names the file and the line
/// or field at fault.
public enum MarkupsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, read or written.
    case io(file: String, message: String)
    /// The extension is not `.mrk.json`, `.json`, `.fcsv` or `.csv`.
    case unknownFormat(file: String)
    /// The JSON is malformed or lacks a required field.
    case invalidJSON(file: String, field: String, reason: String)
    /// A line of a `.fcsv` or `.csv` file cannot be used.
    case invalidLine(file: String, line: Int, reason: String)
    /// A coordinate is not a finite number.
    case invalidNumber(file: String, location: String, value: String)
    /// The file holds no control points.
    case noPoints(file: String)

    public var description: String {
        switch self {
        case let .io(file, message): return "\(file): \(message)"
        case let .unknownFormat(file): return "\(file): unknown markups format (expected .mrk.json, .json, .fcsv or .csv)"
        case let .invalidJSON(file, field, reason): return "\(file): \(field): \(reason)"
        case let .invalidLine(file, line, reason): return "\(file): line \(line): \(reason)"
        case let .invalidNumber(file, location, value): return "\(file): \(location): '\(value.prefix(40))' is not a finite number"
        case let .noPoints(file): return "\(file): no control points"
        }
    }
}
