/// LATEST or MAXIMUM on the corners of a held cell: which of the corners reaching 1/8 take
/// the pixel.
protocol ReplacingCorners {
    static func wins(_ reaching: SIMDMask<SIMD4<Int64>>, _ held: SIMD4<Double>, _ value: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>>
}

/// LATEST: every corner reaching 1/8.
enum LatestCorners: ReplacingCorners {
    @inline(__always)
    static func wins(_ reaching: SIMDMask<SIMD4<Int64>>, _ held: SIMD4<Double>, _ value: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>> {
        reaching
    }
}

/// MAXIMUM: corners reaching 1/8 whose voxel is darker than the pixel (held and value: voxel
/// value * 2^16 + accumulation below 2^16, and pixel value * 2^16).
enum MaximumCorners: ReplacingCorners {
    @inline(__always)
    static func wins(_ reaching: SIMDMask<SIMD4<Int64>>, _ held: SIMD4<Double>, _ value: SIMD4<Double>) -> SIMDMask<SIMD4<Int64>> {
        reaching .& (held .< value)
    }
}
