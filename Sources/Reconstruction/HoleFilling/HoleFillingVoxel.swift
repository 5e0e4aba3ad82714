import Imaging

/// A voxel type hole filling writes, with C's `(T)doubleValue` conversion that PLUS's kernels
/// apply to their results: truncation towards zero for integers (clamped to the type's range),
/// rounding to nearest for floating point.
///
/// A protocol rather than a conversion closure so that each kernel is compiled for its voxel
/// type (a closure or unspecialised generic conversion per hole made hole filling several times
/// slower than IGSIO's).
protocol HoleFillingVoxel: VoxelScalar {
    /// `(Self)value` as C converts it.
    static func converted(_ value: Double) -> Self
}

extension HoleFillingVoxel where Self: FixedWidthInteger {
    @inline(__always)
    static func converted(_ value: Double) -> Self {
        // Same as clamping value.rounded(.towardZero): between the limits, Int(_:) truncates
        // (without libm's trunc); NaN gives the minimum.
        if !(value > Double(Self.min)) { return Self.min }
        if !(value < Double(Self.max)) { return Self.max }
        return Self(truncatingIfNeeded: Int(value))
    }
}

extension UInt8: HoleFillingVoxel {}
extension UInt16: HoleFillingVoxel {}
extension Int16: HoleFillingVoxel {}

extension Float: HoleFillingVoxel {
    @inline(__always)
    static func converted(_ value: Double) -> Float { Float(value) }
}

extension Double: HoleFillingVoxel {
    @inline(__always)
    static func converted(_ value: Double) -> Double { value }
}
