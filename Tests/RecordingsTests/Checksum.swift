/// The checksum the reference values in these tests were computed with (NumPy, from the file's
/// bytes decoded independently with Python's zlib): plain byte sum and a position-weighted sum.
func checksum(_ bytes: [UInt8]) -> (sum: UInt64, weighted: UInt64) {
    var sum: UInt64 = 0, weighted: UInt64 = 0
    for (i, b) in bytes.enumerated() {
        sum &+= UInt64(b)
        weighted &+= UInt64(b) &* UInt64(i % 65521)
    }
    return (sum, weighted)
}
