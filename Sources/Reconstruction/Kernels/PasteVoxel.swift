import Imaging
import PasteKernels

/// A voxel type the paste kernels can write, with the arithmetic PLUS uses for it (integer
/// division and rounding for 8-bit voxels, float arithmetic for float voxels).
protocol PasteVoxel: VoxelScalar, Comparable {
    /// Whether the type rounds (integer) or keeps fractions.
    static var isInteger: Bool { get }
    /// The accumulation-overflow blend: `in / 256 + out * 255 / 256`, truncated.
    static func overflowBlend(input: Self, output: Self) -> Self
    /// Linear MEAN in fixed point: `Round((f*in + r*out) / a)` with f, r, a fixed-point raw values.
    static func meanLinearFixed(weight f: Int, previous r: Int, sum a: Int, input: Self, output: Self) -> Self
    /// Linear MEAN in double precision.
    static func meanLinearDouble(weight f: Double, previous r: Double, sum a: Double, input: Self, output: Self) -> Self
    /// Importance-weighted mean: `(in*w + out*acc) / (w + acc)` rounded for integers.
    static func weightedMean(input: Self, inputWeight: Double, output: Self, outputWeight: Double) -> Self
    /// NN MEAN and IMPORTANCE_MASK: `(in * w + out * acc) / newAcc`, with PLUS's integer division for integers.
    static func weightedMeanInteger(input: Self, inputWeight: Int, output: Self, accumulation: Int, newAccumulation: Int) -> Self
    /// NN MEAN of a whole pixel (weight 256) into a voxel of accumulation `a` (at most the
    /// overflow threshold): `weightedMeanInteger` with weight 256 and new accumulation
    /// `a + 256`. `reciprocals[k]` is `2^32 / (k + 1) + 1` for k in 0...255.
    static func meanNearest(input: Self, output: Self, accumulation a: Int, reciprocals: UnsafePointer<UInt64>) -> Self
    /// Converts an input pixel value, clamping to the representable range.
    init(clampingPixel: Double)
    /// A frame's single-component pixels in this type.
    static func pixels(of image: Image) -> [Self]
}

extension UInt8: PasteVoxel {
    static var isInteger: Bool { true }

    @inline(__always)
    static func overflowBlend(input: UInt8, output: UInt8) -> UInt8 {
        let a: Double = Double(input) * (1.0 / 256)
        let b: Double = Double(output) * (255.0 / 256)
        return UInt8(a + b)
    }

    @inline(__always)
    static func meanLinearFixed(weight f: Int, previous r: Int, sum a: Int, input: UInt8, output: UInt8) -> UInt8 {
        // fixed*int products are exact; the division goes through double and back to fixed.
        let numerator: Int = f * Int(input) + r * Int(output)
        let q = FixedPoint.divide(numerator, a)
        return UInt8(truncatingIfNeeded: FixedPoint.round(q))
    }

    @inline(__always)
    static func meanLinearDouble(weight f: Double, previous r: Double, sum a: Double, input: UInt8, output: UInt8) -> UInt8 {
        let numerator: Double = f * Double(input) + r * Double(output)
        let q = numerator / a
        // A mean of 8-bit values is far inside roundNear's range; anything else takes `round`.
        return UInt8(truncatingIfNeeded: abs(q) < 0x1p30 ? PlusRounding.roundNear(q) : PlusRounding.round(q))
    }

    @inline(__always)
    static func weightedMean(input: UInt8, inputWeight: Double, output: UInt8, outputWeight: Double) -> UInt8 {
        let numerator: Double = Double(input) * inputWeight + Double(output) * outputWeight
        return UInt8(truncatingIfNeeded: PlusRounding.round(numerator / (inputWeight + outputWeight)))
    }

    @inline(__always)
    static func weightedMeanInteger(input: UInt8, inputWeight: Int, output: UInt8, accumulation: Int, newAccumulation: Int) -> UInt8 {
        let sum: Int = Int(input) * inputWeight + Int(output) * accumulation
        // Below 2^25 / 2^17: 32-bit division (as PLUS's int arithmetic), quicker than 64-bit.
        return UInt8(truncatingIfNeeded: UInt32(truncatingIfNeeded: sum) / UInt32(truncatingIfNeeded: newAccumulation))
    }

    /// With `a` = 256 k (always so when only whole pixels were pasted) the mean is
    /// `(in + k out) / (k + 1)`, a numerator below 2^16 over a divisor of at most 255:
    /// multiplying by `2^32 / (k + 1) + 1` and shifting by 32 gives it exactly (the excess,
    /// below 2^-16, never reaches the next integer, as fractions of n / (k + 1) are multiples
    /// of 1 / (k + 1)), without a division on the value's dependency chain.
    @inline(__always)
    static func meanNearest(input: UInt8, output: UInt8, accumulation a: Int, reciprocals: UnsafePointer<UInt64>) -> UInt8 {
        guard a & 255 == 0 else {
            return weightedMeanInteger(input: input, inputWeight: 256, output: output, accumulation: a, newAccumulation: a + 256)
        }
        let k = a >> 8
        let n = UInt64(input) &+ UInt64(truncatingIfNeeded: k) &* UInt64(output)
        return UInt8(truncatingIfNeeded: (n &* reciprocals[k]) >> 32)
    }

    @inline(__always)
    init(clampingPixel v: Double) {
        self = v <= 0 ? 0 : (v >= 255 ? 255 : UInt8(v))
    }

    /// 8-bit frames are used as they are (no copy).
    static func pixels(of image: Image) -> [UInt8] {
        image.scalarType == .uint8 ? image.bytes : PixelConversion.converted(image)
    }
}

extension Float: PasteVoxel {
    static var isInteger: Bool { false }

    @inline(__always)
    static func overflowBlend(input: Float, output: Float) -> Float {
        let a: Double = Double(input) * (1.0 / 256)
        let b: Double = Double(output) * (255.0 / 256)
        return Float(a + b)
    }

    @inline(__always)
    static func meanLinearFixed(weight f: Int, previous r: Int, sum a: Int, input: Float, output: Float) -> Float {
        let ff = Float(FixedPoint.toDouble(f)), rf = Float(FixedPoint.toDouble(r)), af = Float(FixedPoint.toDouble(a))
        let numerator: Float = ff * input + rf * output
        return numerator / af
    }

    @inline(__always)
    static func meanLinearDouble(weight f: Double, previous r: Double, sum a: Double, input: Float, output: Float) -> Float {
        let numerator: Double = f * Double(input) + r * Double(output)
        return Float(numerator / a)
    }

    @inline(__always)
    static func weightedMean(input: Float, inputWeight: Double, output: Float, outputWeight: Double) -> Float {
        let numerator: Double = Double(input) * inputWeight + Double(output) * outputWeight
        return Float(numerator / (inputWeight + outputWeight))
    }

    @inline(__always)
    static func weightedMeanInteger(input: Float, inputWeight: Int, output: Float, accumulation: Int, newAccumulation: Int) -> Float {
        let sum: Float = input * Float(inputWeight) + output * Float(accumulation)
        return sum / Float(newAccumulation)
    }

    @inline(__always)
    static func meanNearest(input: Float, output: Float, accumulation a: Int, reciprocals: UnsafePointer<UInt64>) -> Float {
        weightedMeanInteger(input: input, inputWeight: 256, output: output, accumulation: a, newAccumulation: a + 256)
    }

    @inline(__always)
    init(clampingPixel v: Double) { self = Float(v) }

    static func pixels(of image: Image) -> [Float] {
        PixelConversion.converted(image)
    }
}
