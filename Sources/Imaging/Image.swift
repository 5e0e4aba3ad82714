/// One 2-D ultrasound frame: `width` x `height` pixels of `components` scalars each,
/// stored row by row (x fastest) in native byte order.
///
/// Frames held in memory are in PLUS's MF orientation: +x towards the probe's marked side,
/// +y away from the transducer (far).
public struct Image: Sendable, Equatable {
    /// Pixels along x (columns).
    public var width: Int
    /// Pixels along y (rows).
    public var height: Int
    /// Scalars per pixel (1 for B-mode, 3 for RGB).
    public var components: Int
    /// The scalar type.
    public var scalarType: ScalarType
    /// Raw pixel bytes, `width * height * components * scalarType.byteCount` of them.
    public var bytes: [UInt8]

    /// Creates an image, checking that `bytes` has the right length.
    public init(width: Int, height: Int, components: Int = 1, scalarType: ScalarType = .uint8, bytes: [UInt8]) {
        precondition(bytes.count == width * height * components * scalarType.byteCount,
                     "image \(width)x\(height)x\(components) \(scalarType) needs \(width * height * components * scalarType.byteCount) bytes, got \(bytes.count)")
        self.width = width
        self.height = height
        self.components = components
        self.scalarType = scalarType
        self.bytes = bytes
    }

    /// A zero-filled 8-bit single-component image.
    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bytes: [UInt8](repeating: 0, count: width * height))
    }

    /// Number of bytes in one row.
    public var rowBytes: Int { width * components * scalarType.byteCount }

    /// Whether the image is empty (zero pixels).
    public var isEmpty: Bool { width == 0 || height == 0 }

    /// The 8-bit value at (x, y) for single-component `uint8` images.
    public subscript(x: Int, y: Int) -> UInt8 {
        get { bytes[y * width + x] }
        set { bytes[y * width + x] = newValue }
    }

    /// The value of pixel (x, y), component `c`, as Double, for any scalar type.
    public func value(x: Int, y: Int, component c: Int = 0) -> Double {
        let index = ((y * width + x) * components + c)
        return bytes.withUnsafeBytes { raw in
            switch scalarType {
            case .uint8: return Double(raw[index])
            case .int8: return Double(Int8(bitPattern: raw[index]))
            case .uint16: return Double(raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
            case .int16: return Double(raw.loadUnaligned(fromByteOffset: index * 2, as: Int16.self))
            case .uint32: return Double(raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self))
            case .int32: return Double(raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
            case .float32: return Double(raw.loadUnaligned(fromByteOffset: index * 4, as: Float.self))
            case .float64: return raw.loadUnaligned(fromByteOffset: index * 8, as: Double.self)
            }
        }
    }
}
