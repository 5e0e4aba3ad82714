/// The pixel or voxel component type, with the names MetaImage, NRRD and OpenIGTLink use.
public enum ScalarType: String, Sendable, Hashable, CaseIterable {
    case int8, uint8, int16, uint16, int32, uint32, float32, float64

    /// Bytes per component.
    public var byteCount: Int {
        switch self {
        case .int8, .uint8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64: return 8
        }
    }

    /// The MetaImage `ElementType` value (`MET_UCHAR`, ...).
    public var metaImageName: String {
        switch self {
        case .int8: return "MET_CHAR"
        case .uint8: return "MET_UCHAR"
        case .int16: return "MET_SHORT"
        case .uint16: return "MET_USHORT"
        case .int32: return "MET_INT"
        case .uint32: return "MET_UINT"
        case .float32: return "MET_FLOAT"
        case .float64: return "MET_DOUBLE"
        }
    }

    /// Parses a MetaImage `ElementType` value.
    public init?(metaImageName: String) {
        guard let t = ScalarType.allCases.first(where: { $0.metaImageName == metaImageName }) else { return nil }
        self = t
    }

    /// The NRRD `type` value (`uchar`, `float`, ...).
    public var nrrdName: String {
        switch self {
        case .int8: return "signed char"
        case .uint8: return "unsigned char"
        case .int16: return "short"
        case .uint16: return "unsigned short"
        case .int32: return "int"
        case .uint32: return "unsigned int"
        case .float32: return "float"
        case .float64: return "double"
        }
    }

    /// Parses any NRRD spelling of a type (`uchar`, `uint8`, `unsigned char`, `float`, ...).
    public init?(nrrdName: String) {
        switch nrrdName.lowercased() {
        case "signed char", "int8", "int8_t": self = .int8
        case "uchar", "unsigned char", "uint8", "uint8_t": self = .uint8
        case "short", "short int", "signed short", "signed short int", "int16", "int16_t": self = .int16
        case "ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t": self = .uint16
        case "int", "signed int", "int32", "int32_t": self = .int32
        case "uint", "unsigned int", "uint32", "uint32_t": self = .uint32
        case "float": self = .float32
        case "double": self = .float64
        default: return nil
        }
    }
}
