import Foundation
import FreehandTestSupport
import Geometry
import Recordings
import Testing
@testable import Reconstruction

/// `ReconstructionSetup`: the one place configuration, overlays and overrides are combined.
@Suite struct ReconstructionSetupTests {
    static let sample = PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.igs.mha").path

    /// An existing recording with nothing beside it (the setup checks that inputs exist).
    static func loneRecording() throws -> String {
        let path = PlusData.temporaryDirectory("setup").appendingPathComponent("scan.igs.mha").path
        try "".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Writes a device-set file holding only `ImageToProbe` = `matrix`.
    static func calibrationFile(_ matrix: Transform3D) throws -> String {
        let path = PlusData.temporaryDirectory("setup").appendingPathComponent("ImageToProbe.xml").path
        let numbers = matrix.elements.map { formatNumber($0) }.joined(separator: " ")
        try """
        <PlusConfiguration><CoordinateDefinitions>
          <Transform From="Image" To="Probe" Matrix="\(numbers)" />
        </CoordinateDefinitions></PlusConfiguration>
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func findsTheConfigurationBesideTheRecordingAndOverlaysCalibrations() throws {
        let plain = try ReconstructionSetup(.init(recording: Self.sample))
        #expect(plain.configPath == PlusData.packageRoot.appendingPathComponent("Recordings/phantom-sweep.config.xml").path)
        let name = TransformName(from: "Image", to: "Probe")
        let overlay = Transform3D.scaling(SIMD3(0.25, 0.25, 0.25))
        #expect(plain.calibration.stored[name]?.matrix != overlay)

        let overlaid = try ReconstructionSetup(.init(recording: Self.sample, calibrations: [try Self.calibrationFile(overlay)]))
        #expect(overlaid.calibration.stored[name]?.matrix == overlay)
        #expect(overlaid.settings == plain.settings)
    }

    @Test func overridesApplyAndHoleFillingGetsPLUSDefaultKernel() throws {
        var request = ReconstructionSetup.Request(recording: Self.sample)
        request.spacing = [1, 2, 3]
        request.interpolation = .linear
        request.compounding = .maximum
        request.skipInterval = 3
        request.fillHoles = true
        request.imageFrame = "Img"
        let s = try #require(try ReconstructionSetup(request).settings)
        #expect(s.outputSpacing == SIMD3(1, 2, 3))
        #expect(s.interpolation == .linear && s.compoundingMode == .maximum && s.skipInterval == 3)
        #expect(s.fillHoles && !s.holeFilling.isEmpty, "the sample's configured kernels are kept")
        #expect(s.imageToReferenceName == TransformName(from: "Img", to: "Reference"))

        var bare = ReconstructionSetup.Request(recording: try Self.loneRecording())
        bare.spacing = [1]
        bare.fillHoles = true
        let filled = try #require(try ReconstructionSetup(bare).settings)
        #expect(filled.fillHoles && filled.holeFilling == ReconstructionSetup.Request.defaultHoleFilling)
    }

    @Test func withoutConfigurationSpacingIsNeededOnlyToReconstruct() throws {
        let recording = try Self.loneRecording()
        let none = try ReconstructionSetup(.init(recording: recording))
        #expect(none.settings == nil)
        #expect(none.imageToReferenceName == TransformName(from: "Image", to: "Reference"))
        #expect(throws: ReconstructionSetupError.noConfiguration(besideRecording: SequenceFile.stem(of: recording) + ".config.xml")) {
            try none.requiredSettings()
        }
        var request = ReconstructionSetup.Request(recording: recording)
        request.spacing = [0.5]
        #expect(try ReconstructionSetup(request).requiredSettings().outputSpacing == SIMD3(repeating: 0.5))
    }

    @Test(arguments: [
        ([0.0], "--spacing"), ([Double.nan], "--spacing"), ([1, 2], "--spacing"), ([-1], "--spacing"),
    ])
    func refusesBadSpacing(spacing: [Double], option: String) {
        var request = ReconstructionSetup.Request()
        request.spacing = spacing
        #expect { try ReconstructionSetup(request) } throws: { "\($0)".contains(option) }
    }

    @Test func refusesBadGridAndSkipInterval() {
        var request = ReconstructionSetup.Request()
        request.skipInterval = 0
        #expect { try ReconstructionSetup(request) } throws: { "\($0)".contains("--skip-interval") }
        request.skipInterval = nil
        request.extent = [0, 9, 0, 9, 0, 9]
        #expect { try ReconstructionSetup(request) } throws: { "\($0)".contains("--origin and --extent go together") }
        request.origin = .zero
        request.extent = [5, 4, 0, 9, 0, 9]
        #expect { try ReconstructionSetup(request) } throws: { "\($0)".contains("first <= last") }
    }

    @Test func calibrationFileWithoutTransformsIsNamed() throws {
        let path = PlusData.temporaryDirectory("setup").appendingPathComponent("empty.xml").path
        try "<PlusConfiguration/>".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ReconstructionSetupError.calibrationWithoutTransforms(path: path)) {
            try ReconstructionSetup(.init(recording: Self.sample, calibrations: [path]))
        }
    }

    /// PLUS's IMPORTANCE_MASK configuration names ImportanceMask.png; it is found beside the recording.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func findsTheImportanceMaskBesideTheRecording() throws {
        let setup = try ReconstructionSetup(.init(
            recording: PlusData.path("TestImages/SpinePhantomFreehand.igs.mha"),
            config: PlusData.path("ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_ImportanceMaskNNFull.xml")))
        let mask = try #require(try setup.importanceMask())
        #expect(mask.components == 1 && mask.width > 0)

        let elsewhere = try ReconstructionSetup(.init(
            recording: try Self.loneRecording(),
            config: PlusData.path("ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_ImportanceMaskNNFull.xml")))
        #expect { try elsewhere.importanceMask() } throws: { "\($0)".contains("ImportanceMask.png not found") }
    }
}
