import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Testing
@testable import Reconstruction

/// Synthetic checks of the compounding arithmetic, masks, grid and thread independence.
@Suite struct VolumeReconstructorTests {
    /// A frame of constant `value`.
    func flat(_ w: Int, _ h: Int, _ value: UInt8) -> Image {
        Image(width: w, height: h, bytes: [UInt8](repeating: value, count: w * h))
    }

    /// A deterministic textured frame.
    func textured(_ w: Int, _ h: Int, seed: Int) -> Image {
        var bytes = [UInt8](repeating: 0, count: w * h)
        for y in 0..<h { for x in 0..<w { bytes[y * w + x] = UInt8(truncatingIfNeeded: (x * 7 + y * 13 + seed * 31) ^ (x * y)) } }
        return Image(width: w, height: h, bytes: bytes)
    }

    func settings(_ extra: [String: String] = [:]) throws -> ReconstructionSettings {
        var a = ["OutputSpacing": "1 1 1"]
        for (k, v) in extra { a[k] = v }
        return try ReconstructionSettings(attributes: a)
    }

    @Test func automaticGridFollowsPlusCorners() throws {
        let s = try settings(["OutputSpacing": "0.5 0.5 0.5"])
        var b = OutputGridBuilder(settings: s)
        b.add(width: 11, height: 21, imageToReference: .translation(SIMD3(-3, 4, 2)))
        b.add(width: 11, height: 21, imageToReference: .translation(SIMD3(-3, 4, 7.2)))
        b.add(width: 11, height: 21, imageToReference: nil)
        let g = try b.geometry()
        #expect(g.origin == SIMD3(-3, 4, 2))
        // x: 0...10 px -> 10 mm / 0.5 = 20 -> 21 voxels; y: 20 mm -> 41; z: 5.2 / 0.5 = 10.4 -> round 10 -> 11
        #expect(g.dimensions == SIMD3(21, 41, 11))
        #expect(b.validFrameCount == 2 && b.invalidFrameCount == 1)
    }

    @Test func noValidFramesIsAnError() throws {
        var b = OutputGridBuilder(settings: try settings())
        b.addInvalid()
        #expect(throws: ReconstructionError.noValidFrames(transform: "ImageToReference", total: 1)) { try b.geometry() }
    }

    @Test func stickHoleFillingCountsItsKnownVoxelTable() throws {
        // 100 x 50 x 40 UInt8: 600,000 bytes of voxels + accumulation, 200,000 for the filled copy;
        // STICK's table: 2,000 rows of (32 + 112 + 32) padded bytes + an 8-byte known span = 368,000 bytes.
        let g = VolumeGeometry(dimensions: SIMD3(100, 50, 40), spacing: SIMD3(1, 1, 1), origin: .zero)
        let stick = [HoleFillingElement(kind: .stick, stickLengthLimit: 9, numberOfSticksToUse: 1)]
        try MemoryBudget(limitBytes: 1_168_000).check(g, scalarType: .uint8, holeFilling: stick)
        #expect(throws: ReconstructionError.self) {
            try MemoryBudget(limitBytes: 1_167_999).check(g, scalarType: .uint8, holeFilling: stick)
        }
    }

    @Test func memoryLimitRefusesBeforeAllocating() throws {
        let g = VolumeGeometry(dimensions: SIMD3(7000, 7000, 8100), spacing: SIMD3(0.06, 0.06, 0.06), origin: .zero)
        let s = try settings()
        do throws(ReconstructionError) {
            _ = try VolumeReconstructor(settings: s, geometry: g, memoryBudget: MemoryBudget(limitBytes: 1 << 30))
            Issue.record("expected volumeTooLarge")
        } catch {
            guard case let .volumeTooLarge(_, voxels, bytes, limit) = error else { Issue.record("wrong error \(error)"); return }
            #expect(voxels == 7000 * 7000 * 8100)
            #expect(bytes == voxels * 3)
            #expect(limit == 1 << 30)
            #expect(error.description.contains("396900000000 voxels"))
        }
    }

    @Test func nearestMeanUsesPlusIntegerArithmetic() throws {
        let g = VolumeGeometry(dimensions: SIMD3(4, 4, 2), spacing: SIMD3(1, 1, 1), origin: .zero)
        let r = try VolumeReconstructor(settings: try settings(["CompoundingMode": "MEAN"]), geometry: g, threads: 1)
        try r.add(image: flat(4, 4, 100), imageToReference: .identity)
        try r.add(image: flat(4, 4, 201), imageToReference: .identity)
        try r.add(image: flat(4, 4, 50), imageToReference: .identity)
        let v = try #require(r.volumeUInt8())
        // (201*256 + 100*256)/512 = 150; (50*256 + 150*512)/768 = 116 (integer division)
        #expect(v[0, 0, 0] == 116)
        #expect(r.accumulation()[0, 0, 0] == 768)
        #expect(v[0, 0, 1] == 0 && r.accumulation()[0, 0, 1] == 0)
        #expect(r.statistics.framesPasted == 3 && r.statistics.pixelsPasted == 48)
    }

    @Test func latestAndMaximum() throws {
        let g = VolumeGeometry(dimensions: SIMD3(4, 4, 1), spacing: SIMD3(1, 1, 1), origin: .zero)
        for (mode, expected) in [("LATEST", UInt8(20)), ("MAXIMUM", UInt8(90))] {
            let r = try VolumeReconstructor(settings: try settings(["CompoundingMode": mode]), geometry: g, threads: 1)
            try r.add(image: flat(4, 4, 90), imageToReference: .identity)
            try r.add(image: flat(4, 4, 20), imageToReference: .identity)
            #expect(r.volumeUInt8()![2, 3, 0] == expected)
            #expect(r.accumulation()[2, 3, 0] == 256)
        }
    }

    @Test func linearSplitsWeightsAndLatestNeedsAnEighth() throws {
        let g = VolumeGeometry(dimensions: SIMD3(4, 4, 3), spacing: SIMD3(1, 1, 1), origin: .zero)
        // A single pixel at (1.5, 1.25, 0.5): weights 0.5*0.75*0.5 = 0.1875 (y0) and 0.0625 (y1).
        let image = flat(1, 1, 200)
        let m = Transform3D.translation(SIMD3(1.5, 1.25, 0.5))
        let mean = try VolumeReconstructor(settings: try settings(["Interpolation": "LINEAR", "CompoundingMode": "MEAN"]), geometry: g, threads: 1)
        try mean.add(image: image, imageToReference: m)
        let acc = mean.accumulation()
        #expect(acc[1, 1, 0] == 48 && acc[2, 1, 1] == 48)   // 0.1875 * 256
        #expect(acc[1, 2, 0] == 16 && acc[2, 2, 1] == 16)   // 0.0625 * 256
        #expect(mean.volumeUInt8()![1, 2, 0] == 200)
        #expect(mean.statistics.voxelUpdates == 8)
        let latest = try VolumeReconstructor(settings: try settings(["Interpolation": "LINEAR", "CompoundingMode": "LATEST"]), geometry: g, threads: 1)
        try latest.add(image: image, imageToReference: m)
        #expect(latest.volumeUInt8()![1, 1, 0] == 200)
        #expect(latest.volumeUInt8()![1, 2, 0] == 0)        // weight 0.0625 < 0.125: not written
        #expect(latest.accumulation()[1, 2, 0] == 0)
    }

    @Test func fanAndClipMaskPixels() throws {
        let s = try settings(["FanAnglesDeg": "-30 30", "FanOriginPixel": "50 0", "FanRadiusStartPixel": "10", "FanRadiusStopPixel": "60",
                              "ClipRectangleOrigin": "0 0", "ClipRectangleSize": "100 50"])
        let mask = PixelMask(width: 101, height: 80, settings: s, fanAnglesDeg: s.fanAnglesDeg)
        var kept = 0
        for row in 0..<80 {
            mask.forEachSegment(row: row) { a, b in
                for x in a...b {
                    kept += 1
                    let dx = Double(x) - 50, dy = Double(row)
                    #expect(dy <= 50)                                  // clip rectangle
                    #expect(abs(dx) <= dy * tan(30 * Double.pi / 180)) // inside the wedge
                    let r = (dx * dx + dy * dy).squareRoot()
                    #expect(r >= 8.5 && r <= 60)  // inside the ring (PLUS insets the inner cut by a pixel)
                }
            }
        }
        #expect(kept > 1000 && kept == mask.pixelCount)
    }

    @Test func pixelRejectionSkipsDarkPixels() throws {
        let g = VolumeGeometry(dimensions: SIMD3(4, 1, 1), spacing: SIMD3(1, 1, 1), origin: .zero)
        let r = try VolumeReconstructor(settings: try settings(["PixelRejectionThreshold": "10"]), geometry: g, threads: 1)
        try r.add(image: Image(width: 4, height: 1, bytes: [5, 10, 200, 9]), imageToReference: .identity)
        #expect(r.accumulation().voxels == [0, 256, 256, 0])
    }

    @Test func invalidTransformsAreSkippedAndCounted() throws {
        let g = VolumeGeometry(dimensions: SIMD3(4, 4, 1), spacing: SIMD3(1, 1, 1), origin: .zero)
        let r = try VolumeReconstructor(settings: try settings(), geometry: g, threads: 1)
        let ok = TrackedFrameFixture.frame(image: flat(4, 4, 7), status: .ok)
        let bad = TrackedFrameFixture.frame(image: flat(4, 4, 9), status: .invalid)
        try r.add(frames: [ok, bad])
        #expect(r.statistics.framesPasted == 1 && r.statistics.framesSkippedInvalidTransform == 1)
        #expect(r.volumeUInt8()![1, 1, 0] == 7)
    }

    /// A slanted sweep of textured frames: the volume and accumulation must be bit-identical
    /// for 1, 2, 3 and 8 workers, for every interpolation / compounding / arithmetic.
    @Test(arguments: ["NEAREST_NEIGHBOR", "LINEAR"], ["MEAN", "LATEST", "MAXIMUM"])
    func identicalForAnyThreadCount(interpolation: String, compounding: String) throws {
        for optimization in ["FULL", "PARTIAL"] {
            let s = try settings(["OutputSpacing": "0.7 0.6 0.5", "Interpolation": interpolation, "CompoundingMode": compounding,
                                  "Optimization": optimization, "FanAnglesDeg": "-40 40", "FanOriginPixel": "40 -5", "FanRadiusStopPixel": "70"])
            var frames: [(image: Image, imageToReference: Transform3D)] = []
            for i in 0..<24 {
                let rot = Transform3D.rotation(axis: SIMD3(0.3, 1, 0.2), angle: 0.02 * Double(i))
                let m = Transform3D.translation(SIMD3(0.3 * Double(i), -0.1 * Double(i), 0.45 * Double(i))) * rot * Transform3D.scaling(SIMD3(0.31, 0.29, 1))
                frames.append((textured(80, 60, seed: i), m))
            }
            var b = OutputGridBuilder(settings: s)
            for f in frames { b.add(width: 80, height: 60, imageToReference: f.imageToReference) }
            let g = try b.geometry()
            var results: [([UInt8], [UInt16])] = []
            for threads in [1, 2, 3, 8] {
                let r = try VolumeReconstructor(settings: s, geometry: g, threads: threads)
                try r.add(images: Array(frames[0..<10]))
                for f in frames[10...] { try r.add(image: f.image, imageToReference: f.imageToReference) }
                results.append((r.volumeUInt8()!.voxels, r.accumulation().voxels))
                #expect(r.statistics.pixelsPasted > 0)
            }
            for k in 1..<results.count {
                #expect(results[k].0 == results[0].0, "volume differs with thread count (\(interpolation) \(compounding) \(optimization))")
                #expect(results[k].1 == results[0].1, "accumulation differs with thread count (\(interpolation) \(compounding) \(optimization))")
            }
        }
    }

    @Test func floatOutput() throws {
        let g = VolumeGeometry(dimensions: SIMD3(2, 2, 1), spacing: SIMD3(1, 1, 1), origin: .zero)
        let r = try VolumeReconstructor(settings: try settings(["OutputScalarMode": "FLOAT"]), geometry: g, threads: 1)
        try r.add(image: flat(2, 2, 100), imageToReference: .identity)
        try r.add(image: flat(2, 2, 101), imageToReference: .identity)
        #expect(r.volumeUInt8() == nil)
        #expect(r.volumeFloat()![1, 1, 0] == 100.5)
    }
}

@Suite struct ImportanceMaskTests {
    @Test func maskWeightsTheMean() throws {
        let dir = PlusData.temporaryDirectory("importance")
        let path = dir.appendingPathComponent("mask.png").path
        // Row 0 has weight 255, row 1 weight 0: only row 0 of each frame counts.
        try PNG.write(Image(width: 2, height: 2, bytes: [255, 255, 0, 0]), to: path)
        let mask = try ImportanceMask.load(path)
        let settings = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "CompoundingMode": "IMPORTANCE_MASK",
                                                               "ImportanceMaskFilename": path])
        let g = VolumeGeometry(dimensions: SIMD3(2, 2, 1), spacing: SIMD3(1, 1, 1), origin: .zero)
        let r = try VolumeReconstructor(settings: settings, geometry: g, threads: 1, importanceMask: mask)
        try r.add(image: Image(width: 2, height: 2, bytes: [100, 100, 7, 7]), imageToReference: .identity)
        try r.add(image: Image(width: 2, height: 2, bytes: [201, 201, 9, 9]), imageToReference: .identity)
        let v = try #require(r.volumeUInt8())
        #expect(v[0, 0, 0] == 150)   // (201*255 + 100*255) / 510
        #expect(r.accumulation()[0, 0, 0] == 510)
        #expect(v[0, 1, 0] == 0 && r.accumulation()[0, 1, 0] == 0)
        #expect(throws: ReconstructionError.self) {
            try VolumeReconstructor(settings: settings, geometry: g, threads: 1)
        }
    }
}

@Suite struct RobustnessTests {
    @Test func farAwayAndNonFiniteFramesAreHarmless() throws {
        for optimization in ["FULL", "PARTIAL"] {
            for interpolation in ["NEAREST_NEIGHBOR", "LINEAR"] {
                let s = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "Optimization": optimization, "Interpolation": interpolation])
                let g = VolumeGeometry(dimensions: SIMD3(4, 4, 4), spacing: SIMD3(1, 1, 1), origin: .zero)
                let image = Image(width: 4, height: 4, bytes: [UInt8](repeating: 50, count: 16))
                let r = try VolumeReconstructor(settings: s, geometry: g, threads: 2)
                // 2^17 voxels and 2^32 voxels away: PLUS's 32-bit fixed point would wrap around.
                try r.add(image: image, imageToReference: .translation(SIMD3(131072, 0, 0)))
                try r.add(image: image, imageToReference: .translation(SIMD3(4294967296, 0, 1)))
                try r.add(image: image, imageToReference: .translation(SIMD3(1e300, 0, 1)))
                try r.add(images: [(image, .translation(SIMD3(0, 0, -1e300))), (image, .translation(SIMD3(0, 0, 1e300)))])
                try r.add(image: image, imageToReference: Transform3D(rowMajor: [.nan, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
                #expect(r.coverage == 0)
                #expect(r.statistics.framesSkippedInvalidTransform == 1)
            }
        }
        let s = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1"])
        var b = OutputGridBuilder(settings: s)
        b.add(width: 4, height: 4, imageToReference: Transform3D(rowMajor: [.infinity, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]))
        #expect(b.invalidFrameCount == 1 && b.validFrameCount == 0)
        b.add(width: 4, height: 4, imageToReference: .identity)
        b.add(width: 4, height: 4, imageToReference: .translation(SIMD3(0, 0, 1e300)))
        #expect(throws: ReconstructionError.self) { try b.geometry() }
    }
}

@Suite struct FanAngleDetectorTests {
    /// A bright wedge from -20 to +20 degrees around a fan origin at (200, 0).
    func wedge() -> Image {
        var bytes = [UInt8](repeating: 0, count: 400 * 300)
        for y in 0..<300 {
            for x in 0..<400 {
                let angle = atan2(Double(x) - 200, Double(y)) * 180 / .pi
                if abs(angle) <= 20 { bytes[y * 400 + x] = 120 }
            }
        }
        return Image(width: 400, height: 300, bytes: bytes)
    }

    @Test func detectsTheWedgeWithPlusMargin() throws {
        let s = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FanAnglesDeg": "-45 45", "FanOriginPixel": "200 0",
                                                        "FanRadiusStartPixel": "20", "FanRadiusStopPixel": "280", "EnableFanAnglesAutoDetect": "TRUE"])
        let detected = try #require(FanAngleDetector(settings: s).detect(in: wedge()))
        // PLUS's moving window reports each edge half a window (20 samples) early, which at the
        // innermost arc (59 px) is about 9.7 degrees, then moves each side 3 degrees inwards:
        // about -20 - 9.7 + 3 = -26.7 and +26.7.
        #expect(abs(detected.x - -26.7) < 1.5)
        #expect(abs(detected.y - 26.7) < 1.5)
        #expect(FanAngleDetector(settings: s).detect(in: Image(width: 400, height: 300)) == nil)
        // Empty frames are skipped and counted by the reconstructor.
        let r = try VolumeReconstructor(settings: s, geometry: VolumeGeometry(dimensions: SIMD3(4, 4, 4), spacing: SIMD3(1, 1, 1), origin: .zero), threads: 1)
        try r.add(image: Image(width: 400, height: 300), imageToReference: .identity)
        #expect(r.statistics.framesSkippedEmpty == 1 && r.statistics.framesPasted == 0)
    }
}
