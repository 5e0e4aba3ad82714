/// Reads big-endian integers and byte runs from body bytes, throwing `IGTLError.truncated`
/// with the message context and field name when bytes run out.
///
/// The bytes are borrowed (the decoder's receive buffer): nothing read here may outlive the
/// decoding call, so callers copy what they keep.
struct BigEndianReader {
    let bytes: UnsafeRawBufferPointer
    let context: IGTLMessageContext
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer, context: IGTLMessageContext) {
        self.bytes = bytes
        self.context = context
    }

    var remaining: Int { bytes.count - position }

    mutating func take(_ n: Int, field: String) throws(IGTLError) -> UnsafeRawBufferPointer {
        guard n >= 0, n <= remaining else { throw .truncated(context, field: field, needed: n, available: remaining) }
        defer { position += n }
        return bytes.range(position..<(position + n))
    }

    mutating func uint(_ width: Int, field: String) throws(IGTLError) -> UInt64 {
        var v: UInt64 = 0
        for b in try take(width, field: field) { v = v << 8 | UInt64(b) }
        return v
    }

    mutating func uint16(_ field: String) throws(IGTLError) -> UInt16 { UInt16(try uint(2, field: field)) }
    mutating func uint32(_ field: String) throws(IGTLError) -> UInt32 { UInt32(try uint(4, field: field)) }
}

extension UnsafeRawBufferPointer {
    /// The sub-range `r` as a buffer of its own (indices from 0).
    func range(_ r: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: self[r]) }

    /// The bytes from `start` to the end.
    func tail(from start: Int) -> UnsafeRawBufferPointer { range(start..<count) }
}

/// Appends big-endian integers to a byte array.
extension Array where Element == UInt8 {
    mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }

    /// Appends `text`'s bytes padded with NUL (or truncated) to exactly `width`.
    mutating func appendPadded(_ bytes: [UInt8], width: Int) {
        append(contentsOf: bytes.prefix(width))
        if bytes.count < width { append(contentsOf: repeatElement(0, count: width - bytes.count)) }
    }
}
