import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Reslicing

/// Shared helpers for the reslice tests.
enum ResliceSupport {
    static func folder(_ name: String) -> URL { PlusData.temporaryDirectory("freehand-reslice-\(name)") }

    /// A volume of pseudo-random bytes on a grid with a non-zero origin.
    static func randomVolume(dimensions: SIMD3<Int> = SIMD3(24, 20, 16), spacing: SIMD3<Double> = SIMD3(0.8, 0.8, 1.1)) -> Volume<UInt8> {
        var v = Volume<UInt8>(geometry: VolumeGeometry(dimensions: dimensions, spacing: spacing, origin: SIMD3(-7.3, 4.1, 12.5)))
        var random = SplitMix64(seed: 3)
        for i in v.voxels.indices { v.voxels[i] = UInt8(truncatingIfNeeded: random.next() >> 56) }
        return v
    }

    /// A curve list from positions.
    static func curve(_ points: [SIMD3<Double>]) -> MarkupList {
        MarkupList(type: "Curve", points: points.enumerated().map { MarkupPoint(label: "C-\($0.offset + 1)", position: $0.element) })
    }

    /// Collects every slice of a reslice in memory (tests only: small runs).
    static func slices(_ reslicer: Reslicer, _ poses: [SlicePose], _ geometry: SliceGeometry) throws -> [Reslicer.Slice] {
        var out: [Reslicer.Slice] = []
        try reslicer.run(poses: poses, geometry: geometry) { _, s in out.append(s) }
        return out
    }

    /// Pixel values as Double.
    static func values(_ image: Image) -> [Double] {
        (0..<image.height).flatMap { y in (0..<image.width).map { x in image.value(x: x, y: y) } }
    }

    /// Dice coefficient of two masks.
    static func dice(_ a: [Bool], _ b: [Bool]) -> Double {
        var both = 0, na = 0, nb = 0
        for i in a.indices {
            if a[i] { na += 1 }
            if b[i] { nb += 1 }
            if a[i] && b[i] { both += 1 }
        }
        return na + nb == 0 ? 1 : 2 * Double(both) / Double(na + nb)
    }
}
