import Geometry
import Imaging

extension IGTLImage {
    /// An IMAGE body carrying one 2-D frame.
    ///
    /// - Parameters:
    ///   - image: the frame; its pixel (x, y) is voxel (i, j, 0).
    ///   - imageToReference: maps pixel indices to mm (spacing included), e.g. PLUS's
    ///     ImageToReference times the spacing scaling.
    ///   - coordinateSystem: what `imageToReference`'s target is (PLUS sends RAS).
    public init(image: Image, imageToReference: Transform3D, coordinateSystem: CoordinateSystem = .ras) {
        self.init(components: image.components, scalarType: image.scalarType,
                  size: SIMD3(image.width, image.height, 1), matrix: [Float](repeating: 0, count: 12),
                  coordinateSystem: coordinateSystem, endianness: .little, pixels: image.bytes)
        self.imageToReference = imageToReference
    }

    /// Slice `k` of the carried sub-volume as a 2-D `Image`, with the transform from its pixel
    /// indices to mm (sub-volume offset included).
    /// - Throws: `IGTLError.invalidValue` when `k` is outside the sub-volume or the image is empty.
    public func image(slice k: Int = 0) throws(IGTLError) -> (image: Image, imageToReference: Transform3D) {
        let ctx = IGTLMessageContext(typeName: "IMAGE", deviceName: "")
        guard subvolumeSize.x > 0, subvolumeSize.y > 0, k >= 0, k < subvolumeSize.z else {
            throw .invalidValue(ctx, field: "subvolume size", reason: "no slice \(k) in a sub-volume of \(subvolumeSize.x)x\(subvolumeSize.y)x\(subvolumeSize.z)")
        }
        guard pixels.count == expectedPixelByteCount else {
            throw .invalidValue(ctx, field: "pixels", reason: "\(pixels.count) bytes for \(expectedPixelByteCount) expected")
        }
        let sliceBytes = subvolumeSize.x * subvolumeSize.y * components * scalarType.byteCount
        // A 2-D frame shares the pixel storage (no copy); one slice of a volume is copied out.
        let bytes = sliceBytes == pixels.count ? pixels : Array(pixels[(k * sliceBytes)..<((k + 1) * sliceBytes)])
        let image = Image(width: subvolumeSize.x, height: subvolumeSize.y, components: components,
                          scalarType: scalarType, bytes: bytes)
        let shift = SIMD3<Double>(Double(subvolumeOffset.x), Double(subvolumeOffset.y), Double(subvolumeOffset.z + k))
        return (image, imageToReference * Transform3D.translation(shift))
    }
}

extension IGTLImage {
    /// Decides whether pixel data labelled big-endian is really little-endian.
    ///
    /// Heuristic (only for multi-byte scalars): read up to 4096 consecutive values of component
    /// 0 both ways. Natural images vary smoothly between neighbours in the right byte order,
    /// while the wrong order moves low-byte noise into the high byte (integers) or produces
    /// absurd exponents and NaNs (floats). Score = mean |v[n+1] - v[n]| with non-finite or
    /// |v| > 1e30 values counted as 1e30. The label is overridden only when the declared order
    /// scores more than 16 times worse than the other, so constant, tiny or random images keep
    /// the declared order.
    static func pixelsLookLittleEndian(_ raw: UnsafeRawBufferPointer, scalarType: ScalarType, components: Int) -> Bool {
        let size = scalarType.byteCount
        guard size > 1 else { return false }
        let stride = size * components
        let count = min(raw.count / stride, 4096)
        guard count >= 16 else { return false }
        func value(_ offset: Int, little: Bool) -> Double {
            var bits: UInt64 = 0
            let base = offset
            for b in 0..<size {
                let byte = UInt64(raw[base + (little ? size - 1 - b : b)])
                bits = bits << 8 | byte
            }
            switch scalarType {
            case .int16: return Double(Int16(truncatingIfNeeded: bits))
            case .uint16: return Double(UInt16(truncatingIfNeeded: bits))
            case .int32: return Double(Int32(truncatingIfNeeded: bits))
            case .uint32: return Double(UInt32(truncatingIfNeeded: bits))
            case .float32: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
            case .float64: return Double(bitPattern: bits)
            case .int8, .uint8: return Double(bits)
            }
        }
        func score(little: Bool) -> Double {
            var total = 0.0
            var previous = value(0, little: little)
            for n in 1..<count {
                let v = value(n * stride, little: little)
                let d = abs(v - previous)
                total += (v.isFinite && previous.isFinite && abs(v) <= 1e30 && d.isFinite) ? min(d, 1e30) : 1e30
                previous = v
            }
            return total / Double(count - 1)
        }
        let big = score(little: false), little = score(little: true)
        return big > 16 * little && big > 0
    }
}
