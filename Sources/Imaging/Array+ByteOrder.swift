extension Array where Element == UInt8 {
    /// Reverses the byte order of every `width`-byte scalar (2, 4 or 8 bytes; big-endian data on
    /// little-endian machines). A trailing partial scalar is left as it is.
    public mutating func swapByteOrder(scalarWidth width: Int) {
        guard width > 1 else { return }
        withUnsafeMutableBytes { raw in
            switch width {
            case 2:
                let p = raw.bindMemory(to: UInt16.self)
                for i in p.indices { p[i] = p[i].byteSwapped }
            case 4:
                let p = raw.bindMemory(to: UInt32.self)
                for i in p.indices { p[i] = p[i].byteSwapped }
            case 8:
                let p = raw.bindMemory(to: UInt64.self)
                for i in p.indices { p[i] = p[i].byteSwapped }
            default:
                break
            }
        }
    }
}
