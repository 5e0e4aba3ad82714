import Imaging

extension ScalarType {
    /// OpenIGTLink's scalar type code (2 int8 ... 11 float64).
    public var igtlCode: UInt8 {
        switch self {
        case .int8: return 2
        case .uint8: return 3
        case .int16: return 4
        case .uint16: return 5
        case .int32: return 6
        case .uint32: return 7
        case .float32: return 10
        case .float64: return 11
        }
    }

    /// The scalar type for an OpenIGTLink code, nil for unknown codes.
    public init?(igtlCode: UInt8) {
        guard let t = ScalarType.allCases.first(where: { $0.igtlCode == igtlCode }) else { return nil }
        self = t
    }
}
