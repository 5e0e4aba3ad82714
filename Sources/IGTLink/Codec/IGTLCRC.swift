/// CRC-64/ECMA-182 as OpenIGTLink uses it (polynomial 0x42F0E1EBA9EA3693, init 0, not reflected,
/// no final xor), computed by libOpenIGTLink's `crc64`.
public enum IGTLCRC {
    /// The CRC of `bytes`.
    public static func compute<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        if let crc = bytes.withContiguousStorageIfAvailable({ WireCLayer.crc64(UnsafeRawBufferPointer($0)) }) { return crc }
        return Array(bytes).withUnsafeBytes { WireCLayer.crc64($0) }
    }
}
