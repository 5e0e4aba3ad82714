import COpenIGTLink

/// The only place that calls libOpenIGTLink's C layer.
///
/// Every function copies bytes into a C struct on the stack, lets the library convert the byte
/// order (network big-endian <-> host), and copies plain Swift values out. No pointer leaves a
/// function; callers hand in borrowed byte buffers or `[UInt8]` and get back value types.
enum WireCLayer {
    // MARK: CRC

    /// CRC-64/ECMA-182 of `bytes` (what OpenIGTLink puts in the header's CRC field).
    static func crc64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return 0 }
        // crc64() takes a non-const pointer but only reads through it.
        return COpenIGTLink.crc64(UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self)),
                                  igtl_uint64(bytes.count), 0)
    }

    // MARK: Header

    /// The 58-byte header in host byte order with its fixed-size text fields as raw bytes.
    struct RawHeader {
        var version: UInt16
        var type: [UInt8]        // 12 bytes, NUL padded
        var deviceName: [UInt8]  // 20 bytes, NUL padded
        var timestamp: UInt64
        var bodySize: UInt64
        var crc: UInt64
    }

    static func decodeHeader(_ bytes: UnsafeRawBufferPointer) -> RawHeader {
        precondition(bytes.count >= Int(IGTL_HEADER_SIZE) && MemoryLayout<igtl_header>.size == Int(IGTL_HEADER_SIZE))
        var h = igtl_header()
        withUnsafeMutableBytes(of: &h) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<Int(IGTL_HEADER_SIZE)])) }
        igtl_header_convert_byte_order(&h)
        return RawHeader(version: h.version,
                         type: withUnsafeBytes(of: &h.name) { Array($0) },
                         deviceName: withUnsafeBytes(of: &h.device_name) { Array($0) },
                         timestamp: h.timestamp, bodySize: h.body_size, crc: h.crc)
    }

    static func encodeHeader(_ raw: RawHeader) -> [UInt8] {
        var h = igtl_header()
        h.version = raw.version
        h.timestamp = raw.timestamp
        h.body_size = raw.bodySize
        h.crc = raw.crc
        withUnsafeMutableBytes(of: &h.name) { copyPadded(raw.type, into: $0) }
        withUnsafeMutableBytes(of: &h.device_name) { copyPadded(raw.deviceName, into: $0) }
        igtl_header_convert_byte_order(&h)
        return withUnsafeBytes(of: &h) { Array($0) }
    }

    // MARK: IMAGE

    /// The 72-byte IMAGE header in host byte order.
    struct RawImageHeader {
        var version: UInt16
        var components: UInt8
        var scalarType: UInt8
        var endian: UInt8
        var coordinate: UInt8
        var size: (UInt16, UInt16, UInt16)
        var matrix: [Float]      // 12
        var subvolumeOffset: (UInt16, UInt16, UInt16)
        var subvolumeSize: (UInt16, UInt16, UInt16)
    }

    static let imageHeaderSize = Int(IGTL_IMAGE_HEADER_SIZE)

    static func decodeImageHeader(_ bytes: UnsafeRawBufferPointer) -> RawImageHeader {
        precondition(bytes.count >= imageHeaderSize && MemoryLayout<igtl_image_header>.size == imageHeaderSize)
        var h = igtl_image_header()
        withUnsafeMutableBytes(of: &h) { $0.copyMemory(from: bytes.range(0..<imageHeaderSize)) }
        igtl_image_convert_byte_order(&h)
        return RawImageHeader(version: h.version, components: h.num_components, scalarType: h.scalar_type,
                              endian: h.endian, coordinate: h.coord, size: h.size,
                              matrix: withUnsafeBytes(of: &h.matrix) { Array($0.bindMemory(to: Float.self)) },
                              subvolumeOffset: h.subvol_offset, subvolumeSize: h.subvol_size)
    }

    static func encodeImageHeader(_ raw: RawImageHeader) -> [UInt8] {
        precondition(raw.matrix.count == 12)
        var h = igtl_image_header()
        h.version = raw.version
        h.num_components = raw.components
        h.scalar_type = raw.scalarType
        h.endian = raw.endian
        h.coord = raw.coordinate
        h.size = raw.size
        withUnsafeMutableBytes(of: &h.matrix) { dst in raw.matrix.withUnsafeBytes { dst.copyMemory(from: $0) } }
        h.subvol_offset = raw.subvolumeOffset
        h.subvol_size = raw.subvolumeSize
        igtl_image_convert_byte_order(&h)
        return withUnsafeBytes(of: &h) { Array($0) }
    }

    // MARK: TRANSFORM

    static let transformSize = 48

    /// The 12 floats of a TRANSFORM body (column-major upper 3x4).
    static func decodeTransform(_ bytes: UnsafeRawBufferPointer) -> [Float] {
        precondition(bytes.count >= transformSize)
        var m = [Float](repeating: 0, count: 12)
        m.withUnsafeMutableBytes { dst in
            dst.copyMemory(from: bytes.range(0..<transformSize))
            igtl_transform_convert_byte_order(dst.baseAddress!.assumingMemoryBound(to: igtl_float32.self))
        }
        return m
    }

    static func encodeTransform(_ values: [Float]) -> [UInt8] {
        precondition(values.count == 12)
        var m = values
        m.withUnsafeMutableBytes { igtl_transform_convert_byte_order($0.baseAddress!.assumingMemoryBound(to: igtl_float32.self)) }
        return m.withUnsafeBytes { Array($0) }
    }

    // MARK: POSITION

    /// The floats of a POSITION body of `byteCount` 12 (xyz), 24 (xyz + 3 quaternion) or 28 bytes.
    static func decodePosition(_ bytes: UnsafeRawBufferPointer) -> [Float] {
        var p = igtl_position()
        let n = bytes.count
        precondition(n == 12 || n == 24 || n == 28)
        withUnsafeMutableBytes(of: &p) { $0.copyMemory(from: bytes) }
        switch n {
        case 12: igtl_position_convert_byte_order_position_only(&p)
        case 24: igtl_position_convert_byte_order_quaternion3(&p)
        default: igtl_position_convert_byte_order(&p)
        }
        let all = withUnsafeBytes(of: &p) { Array($0.bindMemory(to: Float.self)) }
        return Array(all[0..<(n / 4)])
    }

    static func encodePosition(_ values: [Float]) -> [UInt8] {
        precondition(values.count == 3 || values.count == 6 || values.count == 7)
        var p = igtl_position()
        withUnsafeMutableBytes(of: &p) { dst in values.withUnsafeBytes { dst.copyMemory(from: $0) } }
        switch values.count {
        case 3: igtl_position_convert_byte_order_position_only(&p)
        case 6: igtl_position_convert_byte_order_quaternion3(&p)
        default: igtl_position_convert_byte_order(&p)
        }
        return withUnsafeBytes(of: &p) { Array($0[0..<(values.count * 4)]) }
    }

    // MARK: TDATA

    static let trackingElementSize = Int(IGTL_TDATA_ELEMENT_SIZE)

    /// One 70-byte TDATA element: name bytes, type, reserved, 12 floats.
    static func decodeTrackingElement(_ bytes: UnsafeRawBufferPointer) -> (name: [UInt8], type: UInt8, reserved: UInt8, matrix: [Float]) {
        precondition(bytes.count == trackingElementSize && MemoryLayout<igtl_tdata_element>.size == trackingElementSize)
        var e = igtl_tdata_element()
        withUnsafeMutableBytes(of: &e) { $0.copyMemory(from: bytes) }
        igtl_tdata_convert_byte_order(&e, 1)
        return (withUnsafeBytes(of: &e.name) { Array($0) }, e.type, e.reserved,
                withUnsafeBytes(of: &e.transform) { Array($0.bindMemory(to: Float.self)) })
    }

    static func encodeTrackingElement(name: [UInt8], type: UInt8, reserved: UInt8, matrix: [Float]) -> [UInt8] {
        precondition(matrix.count == 12)
        var e = igtl_tdata_element()
        withUnsafeMutableBytes(of: &e.name) { copyPadded(name, into: $0) }
        e.type = type
        e.reserved = reserved
        withUnsafeMutableBytes(of: &e.transform) { dst in matrix.withUnsafeBytes { dst.copyMemory(from: $0) } }
        igtl_tdata_convert_byte_order(&e, 1)
        return withUnsafeBytes(of: &e) { Array($0) }
    }

    // MARK: STATUS

    static let statusHeaderSize = Int(FREEHAND_IGTL_STATUS_HEADER_SIZE)

    static func decodeStatusHeader(_ bytes: UnsafeRawBufferPointer) -> (code: UInt16, subcode: Int64, errorName: [UInt8]) {
        precondition(bytes.count >= statusHeaderSize && MemoryLayout<igtl_status_header>.size == statusHeaderSize)
        var s = igtl_status_header()
        withUnsafeMutableBytes(of: &s) { $0.copyMemory(from: bytes.range(0..<statusHeaderSize)) }
        igtl_status_convert_byte_order(&s)
        return (s.code, s.subcode, withUnsafeBytes(of: &s.error_name) { Array($0) })
    }

    static func encodeStatusHeader(code: UInt16, subcode: Int64, errorName: [UInt8]) -> [UInt8] {
        var s = igtl_status_header()
        s.code = code
        s.subcode = subcode
        withUnsafeMutableBytes(of: &s.error_name) { copyPadded(errorName, into: $0) }
        igtl_status_convert_byte_order(&s)
        return withUnsafeBytes(of: &s) { Array($0) }
    }

    // MARK: STRING

    static let stringHeaderSize = 4

    static func decodeStringHeader(_ bytes: UnsafeRawBufferPointer) -> (encoding: UInt16, length: UInt16) {
        precondition(bytes.count >= stringHeaderSize && MemoryLayout<igtl_string_header>.size == stringHeaderSize)
        var s = igtl_string_header()
        withUnsafeMutableBytes(of: &s) { $0.copyMemory(from: bytes.range(0..<stringHeaderSize)) }
        igtl_string_convert_byte_order(&s)
        return (s.encoding, s.length)
    }

    static func encodeStringHeader(encoding: UInt16, length: UInt16) -> [UInt8] {
        var s = igtl_string_header()
        s.encoding = encoding
        s.length = length
        igtl_string_convert_byte_order(&s)
        return withUnsafeBytes(of: &s) { Array($0) }
    }

    // MARK: Helpers

    /// Copies at most `dst.count` bytes of `src` into `dst` (already zeroed: NUL padding).
    private static func copyPadded(_ src: [UInt8], into dst: UnsafeMutableRawBufferPointer) {
        let n = min(src.count, dst.count)
        for i in 0..<n { dst[i] = src[i] }
    }
}
