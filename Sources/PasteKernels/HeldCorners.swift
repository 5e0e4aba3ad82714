/// The eight voxels of the held cell as doubles: values (`farOut`, `nearOut`) and
/// accumulations (`farAcc`, `nearAcc`), `far` the x + 1 corners, `near` the x corners, lanes
/// [z + 1 and y + 1, z + 1, y + 1, the cell's own x, y, z layer and row] (`HeldCell`'s layout).
struct HeldCorners {
    var farOut = SIMD4<Double>.zero, nearOut = SIMD4<Double>.zero
    var farAcc = SIMD4<Double>.zero, nearAcc = SIMD4<Double>.zero
    /// Pixels still to come in the cell that cannot take an accumulation past the overflow
    /// threshold (the overflow test and the cap at 65535 are skipped while positive).
    var quiet = 0

    /// PLUS's MEAN of a pixel of value `value` on four corners of weights `w` (times 256),
    /// counting threshold crossings into `overflow` when `check`.
    @inline(__always)
    static func mean(_ out: inout SIMD4<Double>, _ acc: inout SIMD4<Double>, _ w: SIMD4<Double>, _ value: Double, _ check: Bool,
                     _ overflow: inout Int) {
        let s = w + acc
        let n = w * value + acc * out
        // round(n / s)'s low 8 bits: the sum's bits 16-23 (`roundBits`'s low byte) under its
        // exponent, 2^36 plus them as a double.
        let rounded = unsafeBitCast(n / s + (PlusRounding.shift + 0.5), to: SIMD4<UInt64>.self)
        out = unsafeBitCast(rounded & 0x7FF0_0000_00FF_0000, to: SIMD4<Double>.self) - 0x1p36
        // round(min(S, 65535)), S > -0.5: `roundBits` with the fraction bits cleared, as a
        // double; unchecked, S is below the threshold.
        var capped = s
        if check {
            let threshold = Double(VoxelAccumulation.threshold)
            let crossed = (s .> threshold) .& (acc .<= threshold)
            for lane in 0..<4 where crossed[lane] { overflow &+= 1 }
            let maximum = Double(VoxelAccumulation.maximum)
            capped = SIMD4(repeating: maximum).replacing(with: s, where: s .< maximum)
        }
        let sum = unsafeBitCast(capped + (PlusRounding.shift + 0.5), to: SIMD4<UInt64>.self)
        acc = unsafeBitCast(sum & ~0xFFFF, to: SIMD4<Double>.self) - PlusRounding.shift
    }
}
