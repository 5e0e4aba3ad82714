import Imaging

extension ScalarType {
    /// Converts the native-order samples of this type in `raw` to floating point, into
    /// `out[0 ..< raw.count / byteCount]`.
    func decode<F: BinaryFloatingPoint>(_ raw: UnsafeRawBufferPointer, into out: UnsafeMutableBufferPointer<F>) {
        func integers<S: BinaryInteger>(_: S.Type) { for (i, v) in raw.bindMemory(to: S.self).enumerated() { out[i] = F(v) } }
        func floats<S: BinaryFloatingPoint>(_: S.Type) { for (i, v) in raw.bindMemory(to: S.self).enumerated() { out[i] = F(v) } }
        switch self {
        case .int8: integers(Int8.self)
        case .uint8: integers(UInt8.self)
        case .int16: integers(Int16.self)
        case .uint16: integers(UInt16.self)
        case .int32: integers(Int32.self)
        case .uint32: integers(UInt32.self)
        case .float32: floats(Float.self)
        case .float64: floats(Double.self)
        }
    }
}
