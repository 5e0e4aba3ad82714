/// Why a `<HoleFillingElement>` could not be read.
public enum HoleFillingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `Type` attribute is missing.
    case missingType
    /// The `Type` attribute names no known kernel.
    case unknownType(String)
    /// A required attribute of the kernel type is missing.
    case missingAttribute(type: String, attribute: String)
    /// An attribute is not a number in the allowed range.
    case invalidAttribute(type: String, attribute: String, value: String, expected: String)

    public var description: String {
        let valid = HoleFillingElement.Kind.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .missingType:
            return "<HoleFillingElement> has no Type attribute; valid types: \(valid)"
        case let .unknownType(t):
            return "<HoleFillingElement Type=\"\(t)\"> is not a known hole-filling kernel; valid types: \(valid)"
        case let .missingAttribute(type, attribute):
            return "<HoleFillingElement Type=\"\(type)\"> needs the attribute \(attribute)"
        case let .invalidAttribute(type, attribute, value, expected):
            return "<HoleFillingElement Type=\"\(type)\"> attribute \(attribute)=\"\(value)\" is invalid: expected \(expected)"
        }
    }
}
