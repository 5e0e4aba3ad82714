import FreehandTestSupport
import Foundation
import Geometry
import Testing
@testable import Reconstruction

/// Optimization NONE keeps the pixels that IGSIO's unoptimized paster keeps
/// (vtkIGSIOPasteSliceIntoVolumeHelperUnoptimized.h, checked per pixel, without the optimized
/// paster's one-pixel inset). The reference here is that per-pixel test, transcribed: frame
/// spacing 1 and origin 0 as in vtkIGSIOVolumeReconstructor's frames. Measured against IGSIO
/// itself (paste_bench, SpinePhantom with the SonixRP TRUS fan and 4 fan variants, NN and
/// linear, LATEST and MEAN): all outputs identical, where the optimized paster's rows differed
/// in 989 (NN) and 1,860 (linear) voxels.
@Suite struct PixelMaskNoneTests {
    /// IGSIO's per-pixel decision for pixel (i, j).
    static func igsioKeeps(_ i: Int, _ j: Int, origin: SIMD2<Double>, angles: SIMD2<Double>, radii: SIMD2<Double>,
                           clip: (Int, Int, Int, Int)) -> Bool {
        if i < clip.0 || i > clip.1 || j < clip.2 || j > clip.3 { return false }
        var left = tan(angles.x * 0.017453292519943295) * 1.0, right = tan(angles.y * 0.017453292519943295) * 1.0
        if left > right { swap(&left, &right) }
        guard left != 0 || right != 0 else { return true }
        let x = Double(i) - origin.x, y = Double(j) - origin.y
        if y < 0 || x / y < left || x / y > right { return false }
        let d2 = x * x * 1.0 + y * y * 1.0
        return !(d2 < radii.x * radii.x || d2 > radii.y * radii.y)
    }

    @Test func keepsWhatIGSIOsUnoptimizedPasterKeeps() throws {
        var random = SplitMix64(seed: 15)
        let width = 97, height = 83
        var cases = 0, kept = 0, cutRows = 0
        for n in 0..<400 {
            // Origins on pixel centres, on half pixels and anywhere, above and inside the frame;
            // angles symmetric, one-sided and swapped; start radii cutting rows in two.
            let grid: Double = [1, 0.5, 0.001][n % 3]
            let origin = SIMD2(Double(Int(random.next() % UInt64(120 / grid)) - Int(10 / grid)) * grid,
                               Double(Int(random.next() % UInt64(60 / grid)) - Int(30 / grid)) * grid)
            let a = Double(random.next() % 170) - 85, b = Double(random.next() % 170) - 85
            let angles = n % 4 == 0 ? SIMD2(-abs(a), abs(a)) : SIMD2(a, b)
            let stop = Double(random.next() % 150) + Double(random.next() % 4) * 0.25
            let start = n % 5 == 0 ? 0 : Double(random.next() % UInt64(max(1, Int(stop)))) + 0.5
            guard start < stop else { continue }
            var attributes = ["Optimization": "NONE", "OutputSpacing": "1 1 1",
                              "FanAnglesDeg": "\(angles.x) \(angles.y)", "FanOriginPixel": "\(origin.x) \(origin.y)",
                              "FanRadiusStartPixel": "\(start)", "FanRadiusStopPixel": "\(stop)"]
            var clip = (0, width - 1, 0, height - 1)
            if n % 2 == 1 {
                let x0 = Int(random.next() % 30), y0 = Int(random.next() % 30)
                attributes["ClipRectangleOrigin"] = "\(x0) \(y0)"
                attributes["ClipRectangleSize"] = "60 45"
                clip = (x0, min(x0 + 60, width - 1), y0, min(y0 + 45, height - 1))
            }
            guard let settings = try? ReconstructionSettings(attributes: attributes) else { continue }
            let mask = PixelMask(width: width, height: height, settings: settings, fanAnglesDeg: settings.fanAnglesDeg)
            cases += 1
            for j in 0..<height {
                var ours = [Bool](repeating: false, count: width)
                mask.forEachSegment(row: j) { s, e in for i in s...e { ours[i] = true } }
                if mask.segment(1, row: j).start <= mask.segment(1, row: j).end { cutRows += 1 }
                for i in 0..<width {
                    let theirs = Self.igsioKeeps(i, j, origin: origin, angles: angles, radii: SIMD2(start, stop), clip: clip)
                    if theirs { kept += 1 }
                    if ours[i] != theirs {
                        Issue.record("case \(n) pixel (\(i), \(j)): ours \(ours[i]), IGSIO \(theirs); origin \(origin) angles \(angles) radii \(start) \(stop)")
                        return
                    }
                }
            }
        }
        // Enough of everything was exercised: fans, kept pixels and rows cut in two by the start radius.
        #expect(cases > 300 && kept > 100_000 && cutRows > 100, "cases \(cases), kept \(kept), cut rows \(cutRows)")
    }
}
