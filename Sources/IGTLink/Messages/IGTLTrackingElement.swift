import Geometry

/// One tool in a TDATA body.
public struct IGTLTrackingElement: Sendable, Hashable {
    /// Instrument types of the TDATA specification.
    public enum InstrumentType: UInt8, Sendable, Hashable {
        case tracker = 1, sixDoF = 2, threeDoF = 3, fiveDoF = 4
    }
    /// Tool name (at most 20 bytes).
    public var name: String
    /// Instrument type byte (1...4 per the specification; other values are kept as they are).
    public var type: UInt8
    /// The tool's transform (upper 3x4, mm).
    public var transform: Transform3D

    public init(name: String, type: UInt8 = InstrumentType.sixDoF.rawValue, transform: Transform3D) {
        self.name = name
        self.type = type
        self.transform = transform
    }
}
