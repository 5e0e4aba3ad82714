import Testing
@testable import Reconstruction

@Suite struct ReconstructionSettingsTests {
    @Test func defaultsMatchPlus() throws {
        let s = try ReconstructionSettings(attributes: ["OutputSpacing": "0.5 0.5 0.5"])
        #expect(s.outputSpacing == SIMD3(0.5, 0.5, 0.5))
        #expect(s.interpolation == .nearestNeighbor)
        #expect(s.optimization == .full)
        #expect(s.compoundingMode == .mean)
        #expect(s.fanRadiusStopPixel == 500)
        #expect(s.fanRadiusStartPixel == 0)
        #expect(s.skipInterval == 1)
        #expect(s.pixelRejectionThreshold == nil)
        #expect(s.fillHoles == false)
        #expect(s.outputExtent == nil)
        #expect(s.imageToReferenceName.description == "ImageToReference")
        #expect(!s.hasFan)
    }

    @Test func parsesEveryAttributeCaseInsensitively() throws {
        let s = try ReconstructionSettings(attributes: [
            "OutputSpacing": "0.3 0.4 0.5", "OutputOrigin": "1 2 3", "OutputExtent": "0 9 0 19 0 29",
            "ClipRectangleOrigin": "192 16", "ClipRectangleSize": "420 580",
            "FanAnglesDeg": "-45 45", "FanOriginPixel": "380 20", "FanRadiusStartPixel": "120", "FanRadiusStopPixel": "360",
            "EnableFanAnglesAutoDetect": "true", "PixelRejectionThreshold": "5", "SkipInterval": "3",
            "Interpolation": "linear", "Optimization": "partial", "CompoundingMode": "maximum",
            "NumberOfThreads": "4", "FillHoles": "on", "RecomputeOutputSpacing": "TRUE",
            "ImageCoordinateFrame": "Img", "ReferenceCoordinateFrame": "Tracker", "OutputScalarMode": "float",
        ], holeFillingElements: [["Type": "stick", "StickLengthLimit": "9", "NumberOfSticksToUse": "1"],
                                 ["Type": "GAUSSIAN", "Size": "5", "Stdev": "0.6667", "MinimumKnownVoxelsRatio": "0.50001"]])
        #expect(s.outputOrigin == SIMD3(1, 2, 3))
        #expect(s.outputExtent == [0, 9, 0, 19, 0, 29])
        #expect(s.clipRectangleOrigin == SIMD2(192, 16) && s.clipRectangleSize == SIMD2(420, 580))
        #expect(s.fanAnglesDeg == SIMD2(-45, 45) && s.fanOriginPixel == SIMD2(380, 20))
        #expect(s.fanRadiusStartPixel == 120 && s.fanRadiusStopPixel == 360)
        #expect(s.enableFanAnglesAutoDetect && s.pixelRejectionThreshold == 5 && s.skipInterval == 3)
        #expect(s.interpolation == .linear && s.optimization == .partial && s.compoundingMode == .maximum)
        #expect(s.numberOfThreads == 4 && s.fillHoles && s.recomputeOutputSpacing)
        #expect(s.imageToReferenceName.description == "ImgToTracker")
        #expect(s.outputScalarMode == .float32)
        #expect(s.holeFilling.count == 2)
        #expect(s.holeFilling[0].kind == .stick && s.holeFilling[0].stickLengthLimit == 9)
        #expect(s.holeFilling[1].kind == .gaussian && s.holeFilling[1].size == 5 && s.holeFilling[1].minimumKnownVoxelsRatio == 0.50001)
        let grid = try #require(try s.configuredGrid())
        #expect(grid.dimensions == SIMD3(10, 20, 30))
        #expect(grid.origin == SIMD3(1, 2, 3))
    }

    @Test func errorsNameTheAttribute() {
        #expect(throws: ReconstructionError.invalidAttribute(name: "OutputSpacing", value: nil, reason: "required (three voxel sizes in mm)")) {
            try ReconstructionSettings(attributes: [:])
        }
        do {
            _ = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "Interpolation": "CUBIC"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("Interpolation=\"CUBIC\""))
            #expect(error.description.contains("NEAREST_NEIGHBOR"))
        }
        do {
            _ = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("OutputSpacing"))
        }
        do {
            _ = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FillHoles": "ON"],
                                           holeFillingElements: [["Type": "GAUSSIAN", "Size": "3"]])
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("Stdev"))
        }
        #expect(throws: ReconstructionError.self) {
            try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "CompoundingMode": "IMPORTANCE_MASK"])
        }
    }

    @Test func deprecatedSpellingsAreHonoured() throws {
        let s = try ReconstructionSettings(attributes: ["OutputSpacing": "1 1 1", "FanAngles": "-30 30", "FanOrigin": "10 0",
                                                        "FanDepth": "200", "Compounding": "OFF", "SkipInterval": "0"])
        #expect(s.fanAnglesDeg == SIMD2(-30, 30))
        #expect(s.fanOriginPixel == SIMD2(10, 0))
        #expect(s.fanRadiusStopPixel == 200)
        #expect(s.compoundingMode == .latest)
        #expect(s.skipInterval == 1)
    }
}
