import Foundation
import Geometry
import Imaging
import Testing
@testable import Reconstruction

/// The compiled copies of the held-cell walkers (`PasteKernelSet`): built from the same
/// files, and giving the same volume, accumulation and counts.
@Suite struct PasteKernelSetTests {
    /// Sources/PasteKernelsAVX2 is PasteKernels' files, linked: a file added to one and not
    /// the other would make the copies differ (or not build).
    @Test func avx2CopyLinksEveryKernelFile() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let fm = FileManager.default
        let kernels = try fm.contentsOfDirectory(atPath: sources.appendingPathComponent("PasteKernels").path).filter { $0.hasSuffix(".swift") }
        let copy = sources.appendingPathComponent("PasteKernelsAVX2")
        let links = try fm.contentsOfDirectory(atPath: copy.path).filter { $0.hasSuffix(".swift") }
        #expect(Set(kernels) == Set(links), "Sources/PasteKernelsAVX2 must link exactly PasteKernels' files")
        for name in links {
            let target = try fm.destinationOfSymbolicLink(atPath: copy.appendingPathComponent(name).path)
            #expect(target == "../PasteKernels/\(name)", "Sources/PasteKernelsAVX2/\(name) links to \(target)")
        }
        #expect(!kernels.isEmpty)
    }

    /// A slanted sweep of textured frames through a fan mask, linear PARTIAL with each
    /// compounding rule, two slabs: every copy this machine runs gives the baseline's bits.
    @Test(arguments: ["MEAN", "LATEST", "MAXIMUM"])
    func everyCopyGivesTheBaselineVolume(compounding: String) throws {
        let available = PasteKernelSet.allCases.filter(\.isAvailable)
        let s = try ReconstructionSettings(attributes: [
            "OutputSpacing": "0.7 0.6 0.5", "Interpolation": "LINEAR", "CompoundingMode": compounding, "Optimization": "PARTIAL",
            "FanAnglesDeg": "-40 40", "FanOriginPixel": "40 -5", "FanRadiusStopPixel": "70",
        ])
        var frames: [(image: Image, imageToReference: Transform3D)] = []
        for i in 0..<24 {
            var bytes = [UInt8](repeating: 0, count: 80 * 60)
            for y in 0..<60 { for x in 0..<80 { bytes[y * 80 + x] = UInt8(truncatingIfNeeded: (x * 7 + y * 13 + i * 31) ^ (x * y)) } }
            let rot = Transform3D.rotation(axis: SIMD3(0.3, 1, 0.2), angle: 0.02 * Double(i))
            let m = Transform3D.translation(SIMD3(0.3 * Double(i), -0.1 * Double(i), 0.45 * Double(i))) * rot * Transform3D.scaling(SIMD3(0.31, 0.29, 1))
            frames.append((Image(width: 80, height: 60, bytes: bytes), m))
        }
        var b = OutputGridBuilder(settings: s)
        for f in frames { b.add(width: 80, height: 60, imageToReference: f.imageToReference) }
        let g = try b.geometry()
        var results: [(kernels: PasteKernelSet, voxels: [UInt8], accumulation: [UInt16], updates: Int)] = []
        for kernels in available {
            let r = try VolumeReconstructor(settings: s, geometry: g, threads: 2)
            r.kernels = kernels
            try r.add(images: frames)
            results.append((kernels, r.volumeUInt8()!.voxels, r.accumulation().voxels, r.statistics.voxelUpdates))
            #expect(r.statistics.pixelsPasted > 10_000)
        }
        for r in results.dropFirst() {
            #expect(r.voxels == results[0].voxels, "\(r.kernels) volume differs from \(results[0].kernels) (\(compounding))")
            #expect(r.accumulation == results[0].accumulation, "\(r.kernels) accumulation differs (\(compounding))")
            #expect(r.updates == results[0].updates)
        }
        #if arch(x86_64)
        // Where the processor has AVX2 the comparison above is real; say so when it is not.
        if !PasteKernelSet.avx2.isAvailable { print("PasteKernelSetTests: this processor has no AVX2; only the baseline copy ran") }
        #endif
    }
}
