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
