import Imaging

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
        return UInt8(truncatingIfNeeded: PlusRounding.round(numerator / a))
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
    init(clampingPixel v: Double) { self = Float(v) }

    static func pixels(of image: Image) -> [Float] {
        PixelConversion.converted(image)
    }
}
