import Imaging

/// Writes sampled values as pixels: integers rounded to nearest and clamped to the type's
/// range (NaN to 0), floating point as is.
enum PixelStore {
    static func store(_ values: UnsafeMutableBufferPointer<Double>, count: Int, as type: ScalarType,
                      into raw: UnsafeMutableRawBufferPointer, at first: Int) {
        switch type {
        case .uint8: integer(values, count, UInt8.self, raw, first)
        case .int8: integer(values, count, Int8.self, raw, first)
        case .uint16: integer(values, count, UInt16.self, raw, first)
        case .int16: integer(values, count, Int16.self, raw, first)
        case .uint32: integer(values, count, UInt32.self, raw, first)
        case .int32: integer(values, count, Int32.self, raw, first)
        case .float32:
            let out = raw.bindMemory(to: Float.self)
            for i in 0..<count { out[first + i] = Float(values[i]) }
        case .float64:
            let out = raw.bindMemory(to: Double.self)
            for i in 0..<count { out[first + i] = values[i] }
        }
    }

    @inline(__always)
    static func integer<I: FixedWidthInteger>(_ values: UnsafeMutableBufferPointer<Double>, _ count: Int, _: I.Type,
                                              _ raw: UnsafeMutableRawBufferPointer, _ first: Int) {
        let out = raw.bindMemory(to: I.self)
        let low = Double(I.min), high = Double(I.max)
        for i in 0..<count {
            let v = values[i].rounded()
            out[first + i] = v >= low ? (v <= high ? I(v) : I.max) : I.min
            if v.isNaN { out[first + i] = 0 }
        }
    }
}
