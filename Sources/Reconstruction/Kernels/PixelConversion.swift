import Imaging

/// Frame pixels in the voxel type the kernels write.
enum PixelConversion {
    /// `image`'s single-component pixels as `V`, converted one by one.
    static func converted<V: PasteVoxel>(_ image: Image) -> [V] {
        let n = image.width * image.height
        var out = [V]()
        out.reserveCapacity(n)
        image.bytes.withUnsafeBytes { raw in
            for i in 0..<n {
                let v: Double
                switch image.scalarType {
                case .uint8: v = Double(raw[i])
                case .int8: v = Double(Int8(bitPattern: raw[i]))
                case .uint16: v = Double(raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                case .int16: v = Double(raw.loadUnaligned(fromByteOffset: i * 2, as: Int16.self))
                case .uint32: v = Double(raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))
                case .int32: v = Double(raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self))
                case .float32: v = Double(raw.loadUnaligned(fromByteOffset: i * 4, as: Float.self))
                case .float64: v = raw.loadUnaligned(fromByteOffset: i * 8, as: Double.self)
                }
                out.append(V(clampingPixel: v))
            }
        }
        return out
    }
}
