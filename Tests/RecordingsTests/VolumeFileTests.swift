import Foundation
import FreehandTestSupport
import Imaging
import Testing
@testable import Recordings

@Suite struct VolumeFileReadTests {
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsUCharReference() throws {
        let volume = try VolumeFile.read(PlusData.path("TestImages/vtkVolumeReconstructorTestNNLATEvolumeRef.mha"))
        guard case .uint8(let v) = volume else { Issue.record("expected uint8, got \(volume.scalarType)"); return }
        #expect(v.geometry.dimensions == SIMD3(80, 93, 98))
        #expect(v.geometry.spacing == SIMD3(0.5, 0.5, 0.5))
        #expect(v.geometry.origin == SIMD3(-57.0272, 168.545, 30.5384))
        #expect(checksum(v.voxels) == (3_618_247, 118_752_386_000))
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsFloatReference() throws {
        let volume = try VolumeFile.read(PlusData.path("TestImages/vtkVolumeReconstructorTestLNLATEvolumeRef.mha"))
        guard case .float32(let v) = volume else { Issue.record("expected float, got \(volume.scalarType)"); return }
        #expect(v.geometry.dimensions == SIMD3(145, 47, 101))
        #expect(v.geometry.origin == SIMD3(-74.3917, 195.063, 31.2199))
        #expect(checksum(volume.rawBytes) == (5_950_987, 196_185_064_369))
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsCompressedVolume() throws {
        let volume = try VolumeFile.read(PlusData.path("TestImages/vtkVolumeReconstructorMaximum1OutputCompare.mha"))
        #expect(volume.scalarType == .uint8)
        #expect(volume.geometry.dimensions == SIMD3(147, 106, 104))
    }
}

@Suite struct VolumeFileWriteTests {
    static func sampleVolume() -> AnyVolume {
        let g = VolumeGeometry(dimensions: SIMD3(6, 5, 4), spacing: SIMD3(0.1, 0.25, 0.7), origin: SIMD3(-41.5891, -5.943, 36.3097))
        let voxels = (0..<g.voxelCount).map { Int16(truncatingIfNeeded: $0 &* 97 &- 500) }
        return .int16(Volume(geometry: g, voxels: voxels))
    }

    func check(_ volume: AnyVolume, name: String, compressed: Bool) throws {
        let dir = PlusData.temporaryDirectory("freehand-vol")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try VolumeFile.write(volume, to: path, compressed: compressed)
        let back = try VolumeFile.read(path)
        #expect(back.geometry == volume.geometry, "\(name)")
        #expect(back.scalarType == volume.scalarType)
        #expect(back.rawBytes == volume.rawBytes, "\(name)")
        // SimpleITK: exact origin, spacing, size, and the same voxel checksum.
        let script = """
        import sys, numpy as np, SimpleITK as sitk
        im = sitk.ReadImage(sys.argv[1]); a = sitk.GetArrayViewFromImage(im).tobytes()
        b = np.frombuffer(a, dtype=np.uint8).astype(np.uint64); w = np.arange(b.size, dtype=np.uint64) % np.uint64(65521)
        print(repr(im.GetOrigin()), repr(im.GetSpacing()), im.GetSize(), int(b.sum()), int((b*w).sum()))
        """
        if let out = Python.run(script, [path]) {
            let g = volume.geometry
            let c = checksum(volume.rawBytes)
            let expected = "(\(g.origin.x), \(g.origin.y), \(g.origin.z)) (\(g.spacing.x), \(g.spacing.y), \(g.spacing.z)) (\(g.dimensions.x), \(g.dimensions.y), \(g.dimensions.z)) \(c.sum) \(c.weighted)"
            #expect(out == expected, "\(name) compressed=\(compressed)")
        }
    }

    @Test(arguments: ["v.nrrd", "v.mha", "v.mhd"])
    func roundTripsAndSimpleITKAgrees(name: String) throws {
        for compressed in [true, false] {
            try check(VolumeFileWriteTests.sampleVolume(), name: name, compressed: compressed)
        }
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func plusReferenceVolumesRoundTrip() throws {
        for ref in ["vtkVolumeReconstructorTestNNLATEvolumeRef.mha", "vtkVolumeReconstructorTestLNLATEvolumeRef.mha",
                    "vtkVolumeReconstructorTestIMLiFvolumeRef.mha"] {
            let volume = try VolumeFile.read(PlusData.path("TestImages/" + ref))
            try check(volume, name: "ref.nrrd", compressed: true)
            try check(volume, name: "ref.mha", compressed: true)
        }
    }
}

@Suite struct VolumeFileSpaceTests {
    /// A NRRD in RAS space (as 3D Slicer may save) reads in ITK's LPS convention: the same origin
    /// and directions SimpleITK reports.
    @Test func rasNrrdReadsAsLPS() throws {
        let header = """
        NRRD0004
        type: unsigned char
        dimension: 3
        space: right-anterior-superior
        sizes: 3 2 2
        space directions: (0,0.5,0) (-0.25,0,0) (0,0,2)
        kinds: domain domain domain
        endian: little
        encoding: raw
        space origin: (10.5,-20.25,3)


        """
        let dir = PlusData.temporaryDirectory("freehand-ras")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("ras.nrrd").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(Array(header.utf8) + (0..<12).map { UInt8($0) }))
        let v = try VolumeFile.read(path)
        let g = v.geometry
        #expect(g.origin == SIMD3(-10.5, 20.25, 3))
        #expect(g.spacing == SIMD3(0.5, 0.25, 2))
        // Columns are the axis directions: axis 0 along -y (LPS), axis 1 along +x, axis 2 along +z.
        #expect(g.direction == [0, 1, 0, -1, 0, 0, 0, 0, 1])
        #expect(v[2, 1, 1] == 11)
        let script = """
        import sys, SimpleITK as sitk
        im = sitk.ReadImage(sys.argv[1]); print(repr(im.GetOrigin()), repr(im.GetSpacing()), repr(tuple(d + 0.0 for d in im.GetDirection())))
        """
        if let out = Python.run(script, [path]) {
            #expect(out == "(-10.5, 20.25, 3.0) (0.5, 0.25, 2.0) (0.0, 1.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 1.0)")
        }
    }
}
