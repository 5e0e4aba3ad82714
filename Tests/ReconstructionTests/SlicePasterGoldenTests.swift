import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Reconstruction

/// Bit-exact regression guard for the paste kernels: every interpolation x arithmetic x
/// compounding x voxel type (with fan masks cut in two by the start radius, pixel rejection,
/// importance masks and accumulation overflow) must reproduce the volume, accumulation and counts
/// of the kernels that were measured bit-identical to IGSIO's vtkIGSIOVolumeReconstructor for
/// FULL, PARTIAL and NONE (shared/anchors/igsio/README.md). The golden values are FNV-1a hashes
/// recorded with those kernels (commit 1d38bb3); a change to any voxel changes the hash.
/// LINEAR PARTIAL/NONE were re-recorded when the pixel-to-voxel matrix took VTK's arithmetic
/// (FrameMapping.pixelToVoxel): volumes and accumulation buffers unchanged, only the voxel-update
/// count grew (1,303,504 -> 1,320,868 updates: more pixels land exactly on voxel planes, as in
/// IGSIO, and the trilinear kernel visits their zero-weight neighbours). All NONE values were
/// re-recorded when NONE took IGSIO's unoptimized per-pixel fan test (`PixelMask.fanRow`), which
/// keeps the fan-edge pixels the optimized paster insets: measured identical to IGSIO on the spine
/// sweep with five fans (PixelMaskNoneTests), where the inset rows differed in up to 1,860 voxels.
@Suite struct SlicePasterGoldenTests {
    /// FNV-1a, 64 bit.
    struct Hash {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        mutating func add<T>(_ items: [T]) {
            items.withUnsafeBytes { raw in
                for b in raw { value = (value ^ UInt64(b)) &* 0x100_0000_01b3 }
            }
        }
        mutating func add(_ n: Int) { add([Int64(n)]) }
    }

    func textured(_ w: Int, _ h: Int, seed: Int) -> Image {
        var bytes = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { bytes[y * w + x] = UInt8(truncatingIfNeeded: (x * 7 + y * 13 + seed * 31) ^ (x * y)) } }
        return Image(width: w, height: h, bytes: bytes)
    }

    /// A slanted, rotating sweep (voxel coordinates with every fractional part) and a stack of
    /// near-coincident frames (about 11 pixels per voxel per frame: the
    /// accumulation overflows after a few dozen frames).
    func frames() -> [(image: Image, imageToReference: Transform3D)] {
        var frames: [(image: Image, imageToReference: Transform3D)] = []
        for i in 0..<20 {
            let rot = Transform3D.rotation(axis: SIMD3(0.3, 1, 0.2), angle: 0.03 * Double(i))
            let m = Transform3D.translation(SIMD3(0.3 * Double(i), -0.1 * Double(i), 0.45 * Double(i))) * rot * Transform3D.scaling(SIMD3(0.31, 0.29, 1))
            frames.append((textured(80, 60, seed: i), m))
        }
        for i in 0..<40 {
            let jitter = 0.002 * Double(i % 7)
            let m = Transform3D.translation(SIMD3(5 + jitter, 2 - jitter, 3 + 0.5 * jitter)) * Transform3D.scaling(SIMD3(0.3, 0.3, 1))
            frames.append((textured(80, 60, seed: i % 5), m))
        }
        return frames
    }

    static let interpolations = ["NEAREST_NEIGHBOR", "LINEAR"]
    static let optimizations = ["FULL", "PARTIAL", "NONE"]
    static let compoundings = ["LATEST", "MEAN", "MAXIMUM", "IMPORTANCE_MASK"]

    func hash(interpolation: String, optimization: String, compounding: String, float: Bool, reject: Bool, threads: Int) throws -> UInt64 {
        var a = ["OutputSpacing": "0.7 0.6 0.5", "Interpolation": interpolation, "CompoundingMode": compounding,
                 "Optimization": optimization, "FanAnglesDeg": "-40 35", "FanOriginPixel": "40 -5",
                 "FanRadiusStartPixel": "12", "FanRadiusStopPixel": "70"]
        if float { a["OutputScalarMode"] = "FLOAT" }
        if reject { a["PixelRejectionThreshold"] = "40" }
        var mask: Image?
        if compounding == "IMPORTANCE_MASK" {
            a["ImportanceMaskFilename"] = "mask.png"  // the image is handed over below
            var bytes = [UInt8](repeating: 0, count: 80 * 60)
            for y in 0..<60 { for x in 0..<80 { bytes[y * 80 + x] = (x + y) % 9 == 0 ? 0 : UInt8(truncatingIfNeeded: 40 + x * 2 + y) } }
            mask = Image(width: 80, height: 60, bytes: bytes)
        }
        let frames = frames()
        var b = OutputGridBuilder(settings: try ReconstructionSettings(attributes: a))
        for f in frames { b.add(width: 80, height: 60, imageToReference: f.imageToReference) }
        let r = try VolumeReconstructor(settings: try ReconstructionSettings(attributes: a), geometry: try b.geometry(), threads: threads, importanceMask: mask)
        try r.add(images: frames)
        var h = Hash()
        if let v = r.volumeUInt8() { h.add(v.voxels) } else { h.add(r.volumeFloat()!.voxels) }
        h.add(r.accumulation().voxels)
        h.add(r.statistics.pixelsPasted)
        h.add(r.statistics.voxelUpdates)
        h.add(r.statistics.accumulationOverflows)
        return h.value
    }

    @Test(arguments: interpolations, optimizations)
    func matchesTheIGSIOIdenticalKernels(interpolation: String, optimization: String) throws {
        for compounding in Self.compoundings {
            for float in [false, true] {
                for reject in [false, true] {
                    let key = "\(interpolation) \(optimization) \(compounding)\(float ? " float" : "")\(reject ? " reject" : "")"
                    let value = try hash(interpolation: interpolation, optimization: optimization, compounding: compounding,
                                         float: float, reject: reject, threads: 3)
                    #expect(Self.golden[key] == value, "\(key): output differs from the IGSIO-identical kernels")
                }
            }
        }
    }

    /// PLUS's spine sweep in double precision (the reference tests cover FULL).
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason), arguments: interpolations)
    func spineSweepInDoublePrecision(interpolation: String) throws {
        let device = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml"))
        var settings = try ReconstructionSettings(element: try #require(device.volumeReconstruction))
        settings.interpolation = interpolation == "LINEAR" ? .linear : .nearestNeighbor
        settings.optimization = .partial
        settings.fillHoles = false
        let sequence = try SequenceFile.read(PlusData.path("TestImages/SpinePhantomFreehand.igs.mha"))
        let result = try RecordingReconstruction(settings: settings, calibration: device.transformRepository(), threads: 2).reconstruct(sequence)
        guard case let .uint8(v) = result.volume else { Issue.record("expected an 8-bit volume"); return }
        var h = Hash()
        h.add(v.voxels)
        h.add(result.accumulation.voxels)
        let key = "spine \(interpolation) PARTIAL MEAN"
        #expect(Self.golden[key] == h.value, "\(key): output differs from the IGSIO-identical kernels")
    }

    static let golden: [String: UInt64] = [
        "LINEAR FULL IMPORTANCE_MASK": 0x2ea6011dff3b81cc,
        "LINEAR FULL IMPORTANCE_MASK float": 0x22cb05d0c13466eb,
        "LINEAR FULL IMPORTANCE_MASK float reject": 0xc81292facd11c37e,
        "LINEAR FULL IMPORTANCE_MASK reject": 0x4cd3f649332f940,
        "LINEAR FULL LATEST": 0x7d7e49e66a1fde3f,
        "LINEAR FULL LATEST float": 0x16ad6516099c4f12,
        "LINEAR FULL LATEST float reject": 0xe5bc869b92d2ae87,
        "LINEAR FULL LATEST reject": 0xffeb45b720bf76d,
        "LINEAR FULL MAXIMUM": 0x6ad8c40165615816,
        "LINEAR FULL MAXIMUM float": 0x8e4a6b4ae2dc3c80,
        "LINEAR FULL MAXIMUM float reject": 0x1efdb9025a96da93,
        "LINEAR FULL MAXIMUM reject": 0xc798041a687f03b,
        "LINEAR FULL MEAN": 0x8a2b93e307441c17,
        "LINEAR FULL MEAN float": 0xbe80b25dd4f7a98b,
        "LINEAR FULL MEAN float reject": 0xb5689b1d51be5549,
        "LINEAR FULL MEAN reject": 0xf7c38baf38b6ce83,
        "LINEAR NONE IMPORTANCE_MASK": 0x72905075d5bd5a0d,
        "LINEAR NONE IMPORTANCE_MASK float": 0xa9ec47b0a056767b,
        "LINEAR NONE IMPORTANCE_MASK float reject": 0x9e2b202c193fdea9,
        "LINEAR NONE IMPORTANCE_MASK reject": 0xc98342b21f3167c,
        "LINEAR NONE LATEST": 0xfc87de994508dfc4,
        "LINEAR NONE LATEST float": 0x2440ac6f0d41ba0a,
        "LINEAR NONE LATEST float reject": 0x9a378f81f05f18e,
        "LINEAR NONE LATEST reject": 0x8d063fafdadc8587,
        "LINEAR NONE MAXIMUM": 0x5f97add6bedd6705,
        "LINEAR NONE MAXIMUM float": 0x2407c9d3a99ecd97,
        "LINEAR NONE MAXIMUM float reject": 0x4277ab638710865b,
        "LINEAR NONE MAXIMUM reject": 0x623bf2c3b617f47f,
        "LINEAR NONE MEAN": 0x26031c0a29cfaceb,
        "LINEAR NONE MEAN float": 0xd8b2dd31eb9c8367,
        "LINEAR NONE MEAN float reject": 0x604ed407ad91e8d3,
        "LINEAR NONE MEAN reject": 0xdaa8e799dc510d8b,
        "LINEAR PARTIAL IMPORTANCE_MASK": 0x3de011652c05b01b,
        "LINEAR PARTIAL IMPORTANCE_MASK float": 0x52a08d11b5d3d341,
        "LINEAR PARTIAL IMPORTANCE_MASK float reject": 0xfdde3e03fc4876e1,
        "LINEAR PARTIAL IMPORTANCE_MASK reject": 0xff6356bc9eb5c7d2,
        "LINEAR PARTIAL LATEST": 0xfccf60edb19a2e66,
        "LINEAR PARTIAL LATEST float": 0x40f5417480e6ebf9,
        "LINEAR PARTIAL LATEST float reject": 0x20050e921b5ba8f1,
        "LINEAR PARTIAL LATEST reject": 0xaa6cd0661bd4001,
        "LINEAR PARTIAL MAXIMUM": 0xeac49ac3ba445fec,
        "LINEAR PARTIAL MAXIMUM float": 0x53bc44bd7b8170d1,
        "LINEAR PARTIAL MAXIMUM float reject": 0xf549b4103f4f1de,
        "LINEAR PARTIAL MAXIMUM reject": 0xe00f6c4402853721,
        "LINEAR PARTIAL MEAN": 0x886072bb57f85605,
        "LINEAR PARTIAL MEAN float": 0xa5f8d6286c8e5a64,
        "LINEAR PARTIAL MEAN float reject": 0xb9f43c15f0364c2,
        "LINEAR PARTIAL MEAN reject": 0xe6a09c86ed0ce760,
        "NEAREST_NEIGHBOR FULL IMPORTANCE_MASK": 0xe2ad7ebb525d9c87,
        "NEAREST_NEIGHBOR FULL IMPORTANCE_MASK float": 0x6be4098c79a78b36,
        "NEAREST_NEIGHBOR FULL IMPORTANCE_MASK float reject": 0x24ad8ce69a388e78,
        "NEAREST_NEIGHBOR FULL IMPORTANCE_MASK reject": 0xc7a3b1d553ac2494,
        "NEAREST_NEIGHBOR FULL LATEST": 0xd61aa60144f2a9f1,
        "NEAREST_NEIGHBOR FULL LATEST float": 0x376aaf8bf46311b9,
        "NEAREST_NEIGHBOR FULL LATEST float reject": 0x467af13f9b479d8b,
        "NEAREST_NEIGHBOR FULL LATEST reject": 0x1d531301800c68bf,
        "NEAREST_NEIGHBOR FULL MAXIMUM": 0x4bf8f194ad474967,
        "NEAREST_NEIGHBOR FULL MAXIMUM float": 0xaca78f15fa6580dd,
        "NEAREST_NEIGHBOR FULL MAXIMUM float reject": 0xb79a14cc41e177f7,
        "NEAREST_NEIGHBOR FULL MAXIMUM reject": 0x1545a12e345ef5de,
        "NEAREST_NEIGHBOR FULL MEAN": 0xce851970e9d6677f,
        "NEAREST_NEIGHBOR FULL MEAN float": 0xd3eb63dd78ab9ee2,
        "NEAREST_NEIGHBOR FULL MEAN float reject": 0x3db6a48cdb94257e,
        "NEAREST_NEIGHBOR FULL MEAN reject": 0x420749a9e85d3e1d,
        "NEAREST_NEIGHBOR NONE IMPORTANCE_MASK": 0x35c9b400f01f0cf2,
        "NEAREST_NEIGHBOR NONE IMPORTANCE_MASK float": 0x57a04d60866a1ecb,
        "NEAREST_NEIGHBOR NONE IMPORTANCE_MASK float reject": 0xb63859a8b1bf5c8e,
        "NEAREST_NEIGHBOR NONE IMPORTANCE_MASK reject": 0x41293dd2935b92f4,
        "NEAREST_NEIGHBOR NONE LATEST": 0x4eea51d5d2675000,
        "NEAREST_NEIGHBOR NONE LATEST float": 0x373ce2ba1f4f0be9,
        "NEAREST_NEIGHBOR NONE LATEST float reject": 0x96a1867f2e2398ad,
        "NEAREST_NEIGHBOR NONE LATEST reject": 0x60c2c47bb17b3ac5,
        "NEAREST_NEIGHBOR NONE MAXIMUM": 0x3a2b4ca77db0528c,
        "NEAREST_NEIGHBOR NONE MAXIMUM float": 0xb116d8119c6b72f9,
        "NEAREST_NEIGHBOR NONE MAXIMUM float reject": 0x88a6ff7105418640,
        "NEAREST_NEIGHBOR NONE MAXIMUM reject": 0xaaff333985acba1a,
        "NEAREST_NEIGHBOR NONE MEAN": 0xeee5b23aaa892c4a,
        "NEAREST_NEIGHBOR NONE MEAN float": 0x653844791a1991a5,
        "NEAREST_NEIGHBOR NONE MEAN float reject": 0xf26e771d6fe0a072,
        "NEAREST_NEIGHBOR NONE MEAN reject": 0x99e0810d2de8f2c8,
        "NEAREST_NEIGHBOR PARTIAL IMPORTANCE_MASK": 0x4a924c6c2000491,
        "NEAREST_NEIGHBOR PARTIAL IMPORTANCE_MASK float": 0x27f1eae7b945bf20,
        "NEAREST_NEIGHBOR PARTIAL IMPORTANCE_MASK float reject": 0x86276c38bb12fba0,
        "NEAREST_NEIGHBOR PARTIAL IMPORTANCE_MASK reject": 0x4f796bcbd3933740,
        "NEAREST_NEIGHBOR PARTIAL LATEST": 0x13499643ea36695a,
        "NEAREST_NEIGHBOR PARTIAL LATEST float": 0xd1d7e27e34eee1a1,
        "NEAREST_NEIGHBOR PARTIAL LATEST float reject": 0x8900b0b575023b3e,
        "NEAREST_NEIGHBOR PARTIAL LATEST reject": 0x325a2a8a6f4ad61c,
        "NEAREST_NEIGHBOR PARTIAL MAXIMUM": 0x53477fc3320fa41,
        "NEAREST_NEIGHBOR PARTIAL MAXIMUM float": 0xa322982ddd1a1f1,
        "NEAREST_NEIGHBOR PARTIAL MAXIMUM float reject": 0xeaaab990e3c4a437,
        "NEAREST_NEIGHBOR PARTIAL MAXIMUM reject": 0x5b6e5e225b933f44,
        "NEAREST_NEIGHBOR PARTIAL MEAN": 0x81d9724cde5bd3f4,
        "NEAREST_NEIGHBOR PARTIAL MEAN float": 0xdb3a1a938ae0971f,
        "NEAREST_NEIGHBOR PARTIAL MEAN float reject": 0xf7642b3080e74f59,
        "NEAREST_NEIGHBOR PARTIAL MEAN reject": 0x3d759f72f7207c92,
        "spine LINEAR PARTIAL MEAN": 0xb9b294cf1958e124,
        "spine NEAREST_NEIGHBOR PARTIAL MEAN": 0x366111fc9b846ee,
    ]
}
