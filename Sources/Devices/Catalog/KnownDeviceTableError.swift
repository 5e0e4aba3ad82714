/// Why the known-device table could not be used.
public enum KnownDeviceTableError: Error, CustomStringConvertible, Equatable {
    /// The file is not there (a broken install: the resource bundle was not copied).
    case missing(path: String)
    /// The file is not valid JSON or does not have the expected shape.
    case malformed(path: String, detail: String)
    /// One entry breaks a rule of the table.
    case invalidEntry(path: String, field: String, reason: String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "known-device table \(path) not found; reinstall Freehand (the Devices resource bundle is missing)"
        case .malformed(let path, let detail):
            return "known-device table \(path) is malformed: \(detail)"
        case .invalidEntry(let path, let field, let reason):
            return "known-device table \(path): \(field) \(reason)"
        }
    }

    /// A one-line account of a decoding failure naming the JSON path of the bad field.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            let at = path(ctx.codingPath)
            return "missing field \"\(key.stringValue)\"\(at.isEmpty ? "" : " in \(at)")"
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx):
            return "\(path(ctx.codingPath)): \(ctx.debugDescription)"
        case .dataCorrupted(let ctx):
            let at = path(ctx.codingPath)
            return at.isEmpty ? ctx.debugDescription : "\(at): \(ctx.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
