import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Reconstruction

/// ImageToReference and the pixel-to-voxel matrix have IGSIO's bits (VTK's inverse and product
/// order, vtkIGSIOPasteSliceIntoVolume's transform chain). Expected bits recorded with
/// scripts/igsio-harness/frame_matrices (IGSIO 9caba69 on Debian's VTK 9.1); IGSIO is not needed
/// here. IGSIOMatrixDumpTests compares every frame when a harness dump is given.
@Suite struct VTKMatrixOrderTests {
    struct Frame: Sendable {
        let index: Int
        let probeToTracker: [Double]
        let referenceToTracker: [Double]
        let imageToReference: [UInt64]
        let pixelToVoxel: [UInt64]
    }

    // MARK: The 40-frame simulated sweep

    /// `freehand simulate -o sweep.igs.mha --frames 40 --width 640 --height 480 --spacing 0.08
    /// --output-spacing 0.3`: its ImageToProbe, its grid (IGSIO's automatic extent: 182x137x185)
    /// and two frames' tracker transforms as the header writes them.
    static let imageToProbe = Transform3D(rowMajor: [
        0.0799682011, -0.00210564444, 0.000808135042, -25.1498402, 0.00209404104, 0.0799644844, 0.00113851908, -0.369046113,
        -0.000837742729, -0.00111691318, 0.0799878159, 0.067658802, 0, 0, 0, 1,
    ])
    static let sweepGrid = VolumeGeometry(dimensions: SIMD3(182, 137, 185), spacing: SIMD3(repeating: 0.3),
                                          origin: SIMD3(Double(bitPattern: 0xc03baad4a64e1b94), Double(bitPattern: 0xbff244d6aba59e44),
                                                        Double(bitPattern: 0x3ff7c0cab838e6b8)))
    static let referenceToTracker: [Double] = [
        0.8357605300175538, -0.491200566887762, -0.24541055306143383, 120.5, 0.43583894779255544, 0.8652867268683306,
        -0.2476354011295016, -45.25, 0.33398914361376436, 0.10000441687561736, 0.9372568316920992, -850, 0, 0, 0, 1,
    ]
    static let sweepFrames = [
        Frame(index: 0,
              probeToTracker: [0.8470092100895231, -0.46539810345290267, -0.2568657301509164, 119.99274458928787,
                               0.4195464196264582, 0.8820027081790408, -0.21459735446518838, -45.704666366375676,
                               0.32642947140560397, 0.07399883828330761, 0.9423205251561587, -845.9851744432711, 0, 0, 0, 1],
              referenceToTracker: referenceToTracker,
              imageToReference: [0x3fb47a0754d8e16c, 0xbf40624e7dcb777b, 0x3f5627675acba5d3, 0xc0386eb1234fb791,
                                 0x3f3c6a3fff5b7c86, 0x3fb474931012a76f, 0x3f6fef6e3eb4a968, 0x3fd9d0fb1a62d59d,
                                 0xbf5686c6984c23fc, 0xbf6fdebbfb66ba8e, 0x3fb473e6d6fa20da, 0x4010e81180dd416d,
                                 0, 0, 0, 0x3ff0000000000000],
              pixelToVoxel: [0x3fd1105b715f6684, 0xbf5b4e82d1a871cc, 0x3f72762b76545f85, 0x402590ecbe9ff018,
                             0x3f57addfff76e7c4, 0x3fd10bcfe2ba3631, 0x3f8a9cdbdeebe281, 0x40149a3c89de9b0e,
                             0xbf72c5a57eea1dfc, 0xbf8a8ef1fc2af0cb, 0x3fd10b405dd070b5, 0x402247c8b4ae623e,
                             0, 0, 0, 0x3ff0000000000000]),
        Frame(index: 39,
              probeToTracker: [0.8253690996224814, -0.515559467893203, -0.23013970638299613, 106.24624971526868,
                               0.45172581932420625, 0.8475407532169893, -0.2786008897908497, -59.70330361828655,
                               0.3386881065881246, 0.12598851813580458, 0.932425471420475, -797.802109340788, 0, 0, 0, 1],
              referenceToTracker: referenceToTracker,
              imageToReference: [0x3fb475422550e647, 0xbf6df13aa1b21875, 0x3f4399bb812b0aa4, 0xc039eaa1c0a9b9b6,
                                 0x3f6e095daa3926dc, 0x3fb474486a9c92f5, 0xbf5aaedb6fa31cc9, 0xbff244d6aba59e44,
                                 0xbf41233cde56a7a7, 0x3f5b1a850c0a81e6, 0x3fb479a59b3d7884, 0x404bfd4ad1ce4dff,
                                 0, 0, 0, 0x3ff0000000000000],
              pixelToVoxel: [0x3fd10c61c9c36a90, 0xbf88f3b0dc1469b6, 0x3f605571964e88de, 0x401757fbf5e518f0,
                             0x3f8907ce0dda4b0c, 0x3fd10b91ae2d2521, 0xbf763c6187b297fc, 0x0000000000000000,
                             0xbf5c90101d3b176b, 0x3f7696198a08c194, 0x3fd1100a015de46e, 0x4066b4b9120a7052,
                             0, 0, 0, 0x3ff0000000000000]),
    ]

    @Test func sweepFramesHaveIGSIOsBits() throws {
        for frame in Self.sweepFrames {
            try Self.check(frame, imageToProbe: Self.imageToProbe, grid: Self.sweepGrid)
        }
    }

    /// The case that showed the gap: frame 0's last pixel (639, 479) lands exactly on the voxel
    /// plane z = 0 with IGSIO's matrix (the paste kernels' order: origin + y * yAxis, then
    /// + x * xAxis); with the matrix divided by the spacing it landed at 4.4e-16, and a 1e-16
    /// trilinear weight changed voxel (181, 134, 1) of the LINEAR MEAN volume.
    @Test func sweepCornerPixelLandsOnTheVoxelPlane() {
        let m = Transform3D(rowMajor: Self.sweepFrames[0].imageToReference.map { Double(bitPattern: $0) })
        let mapping = FrameMapping(imageToReference: m, grid: Self.sweepGrid)
        #expect((mapping.origin.z + 479 * mapping.yAxis.z) + 639 * mapping.xAxis.z == 0)
    }

    // MARK: PLUS's spine recording

    static let spineFrames = [
        Frame(index: 0, probeToTracker: [], referenceToTracker: [],
              imageToReference: [0xbfb568bc3f286a7b, 0x3f7263ace9c2a333, 0x3f9121749ae84b93, 0xc01798db018eb588,
                                 0x3f91ba1cd9bd27fd, 0x3f86a39c488cc076, 0x3fb45df785a5f4b5, 0x4068a807cbd01696,
                                 0xbf5d2e3945170a38, 0x3fb3fe3490fece79, 0xbf890845dca8d472, 0x40407bdf427b3198,
                                 0, 0, 0, 0x3ff0000000000000],
              pixelToVoxel: [0xbfc568bc3f286a7b, 0x3f8263ace9c2a333, 0x3fa121749ae84b93, 0x406127d5d9edb166,
                             0x3fa1ba1cd9bd27fd, 0x3f96a39c488cc076, 0x3fc45df785a5f4b5, 0x404fad7276c4a9d0,
                             0xbf6d2e3945170a38, 0x3fc3fe3490fece79, 0xbf990845dca8d472, 0x401f2a918e636980,
                             0, 0, 0, 0x3ff0000000000000]),
        Frame(index: 10, probeToTracker: [], referenceToTracker: [],
              imageToReference: [0xbfb5729beb31425e, 0x3f71f9014990cb0d, 0x3f9067bb713932cc, 0xc010c0b3475bff18,
                                 0x3f90f7c4cc5decbc, 0x3f865da66d334e61, 0x3fb469487eacc181, 0x406706119452686b,
                                 0xbf5ca250e839e28a, 0x3fb3ffd21844eb7c, 0xbf88ab5e17ea065f, 0x40400f5fb56482f0,
                                 0, 0, 0, 0x3ff0000000000000],
              pixelToVoxel: [0xbfc5729beb31425e, 0x3f81f9014990cb0d, 0x3fa067bb713932cc, 0x406195585590dccc,
                             0x3fa0f7c4cc5decbc, 0x3f965da66d334e61, 0x3fc469487eacc181, 0x40429dc0bad73878,
                             0xbf6ca250e839e28a, 0x3fc3ffd21844eb7c, 0xbf98ab5e17ea065f, 0x40186298bcf87f00,
                             0, 0, 0, 0x3ff0000000000000]),
        Frame(index: 20, probeToTracker: [], referenceToTracker: [],
              imageToReference: [0xbfb58b1e6ae20386, 0x3f731abe1a8f5e7e, 0x3f8cd251542df934, 0xc01665ef60a586c8,
                                 0x3f8df14a2bb53127, 0x3f851c4a8bf06c7d, 0x3fb487675cb8609e, 0x4064b2597cf7815c,
                                 0xbf510d764943ccbd, 0x3fb40438c12ba660, 0xbf875ec98f813a63, 0x403deca498db85a0,
                                 0, 0, 0, 0x3ff0000000000000],
              pixelToVoxel: [0xbfc58b1e6ae20386, 0x3f831abe1a8f5e7e, 0x3f9cd251542df934, 0x40613b0493fc4452,
                             0x3f9df14a2bb53127, 0x3f951c4a8bf06c7d, 0x3fc487675cb8609e, 0x0000000000000000,
                             0xbf610d764943ccbd, 0x3fc40438c12ba660, 0xbf975ec98f813a63, 0x3ffb4708b631f400,
                             0, 0, 0, 0x3ff0000000000000]),
    ]
    /// IGSIO's automatic grid origin for the spine recording (0.5 mm spacing, 820x616 clip).
    static let spineOrigin: [UInt64] = [0xc052a1638a069cbe, 0x4064b2597cf7815c, 0x403d126c5329f600]

    /// SpinePhantomFreehand with PLUS's SpinePhantom_NN_MEAN configuration: the grid and three
    /// frames (ImageToReference inverts each frame's ReferenceToTracker).
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func spineFramesHaveIGSIOsBits() throws {
        let device = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml"))
        let settings = try ReconstructionSettings(element: try #require(device.volumeReconstruction))
        let calibration = device.transformRepository()
        let path = PlusData.path("TestImages/SpinePhantomFreehand.igs.mha")
        let grid = try RecordingReconstruction(settings: settings, calibration: calibration, threads: 1).outputGrid(path: path)
        #expect([grid.origin.x, grid.origin.y, grid.origin.z].map(\.bitPattern) == Self.spineOrigin)
        let frames = try SequenceFile.read(path).frames
        for expected in Self.spineFrames {
            let m = try #require(VolumeReconstructor.imageToReference(for: frames[expected.index], calibration: calibration,
                                                                       name: settings.imageToReferenceName))
            #expect(m.elements.map(\.bitPattern) == expected.imageToReference, "frame \(expected.index) ImageToReference")
            Self.checkMapping(imageToReference: m, grid: grid, expected)
        }
    }

    // MARK: Helpers

    static func check(_ frame: Frame, imageToProbe: Transform3D, grid: VolumeGeometry) throws {
        var repository = TransformRepository()
        repository.set(TransformName(from: "Image", to: "Probe"), imageToProbe, persistent: true)
        repository.set(TransformName(from: "Probe", to: "Tracker"), Transform3D(rowMajor: frame.probeToTracker))
        repository.set(TransformName(from: "Reference", to: "Tracker"), Transform3D(rowMajor: frame.referenceToTracker))
        let m = try repository.transform(TransformName(from: "Image", to: "Reference")).matrix
        #expect(m.elements.map(\.bitPattern) == frame.imageToReference, "frame \(frame.index) ImageToReference")
        checkMapping(imageToReference: m, grid: grid, frame)
    }

    /// The whole matrix and the coefficients the kernels use (rows 0-2 of columns 0, 1 and 3),
    /// bit for bit.
    static func checkMapping(imageToReference m: Transform3D, grid: VolumeGeometry, _ frame: Frame) {
        let p = frame.pixelToVoxel
        #expect(FrameMapping.pixelToVoxel(imageToReference: m, grid: grid).elements.map(\.bitPattern) == p,
                "frame \(frame.index) pixel-to-voxel matrix")
        let mapping = FrameMapping(imageToReference: m, grid: grid)
        let ours = [mapping.xAxis.x, mapping.yAxis.x, mapping.origin.x, mapping.xAxis.y, mapping.yAxis.y, mapping.origin.y,
                    mapping.xAxis.z, mapping.yAxis.z, mapping.origin.z].map(\.bitPattern)
        #expect(ours == [p[0], p[1], p[3], p[4], p[5], p[7], p[8], p[9], p[11]], "frame \(frame.index) FrameMapping")
    }
}
