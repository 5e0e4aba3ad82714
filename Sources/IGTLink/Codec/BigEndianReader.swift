/// Reads big-endian integers and byte runs from a body slice, throwing `IGTLError.truncated`
/// with the message context and field name when bytes run out.
struct BigEndianReader {
    let bytes: ArraySlice<UInt8>
    let context: IGTLMessageContext
    private(set) var position: Int

    init(_ bytes: ArraySlice<UInt8>, context: IGTLMessageContext) {
        self.bytes = bytes
        self.context = context
        self.position = bytes.startIndex
    }

    var remaining: Int { bytes.endIndex - position }

    mutating func take(_ n: Int, field: String) throws(IGTLError) -> ArraySlice<UInt8> {
        guard n >= 0, n <= remaining else { throw .truncated(context, field: field, needed: n, available: remaining) }
        defer { position += n }
        return bytes[position..<(position + n)]
    }

    mutating func rest() -> ArraySlice<UInt8> {
        defer { position = bytes.endIndex }
        return bytes[position...]
    }

    mutating func uint(_ width: Int, field: String) throws(IGTLError) -> UInt64 {
        var v: UInt64 = 0
        for b in try take(width, field: field) { v = v << 8 | UInt64(b) }
        return v
    }

    mutating func uint16(_ field: String) throws(IGTLError) -> UInt16 { UInt16(try uint(2, field: field)) }
    mutating func uint32(_ field: String) throws(IGTLError) -> UInt32 { UInt32(try uint(4, field: field)) }
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
