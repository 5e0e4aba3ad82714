import Foundation
import FreehandTestSupport
import Testing
@testable import Recordings

/// Reads every MetaImage and NRRD file of the PLUS test data: sequences with `SequenceFile`,
/// reference volumes with `VolumeFile`. Each must succeed, or fail with a `RecordingError` whose
/// message names the file and the field (files PLUS itself writes in layouts Freehand does not
/// support are listed in `expectedFailures`).
@Suite struct AllPlusFilesTests {
    /// Files known not to load, with the field their error must name.
    static let expectedFailures: [String: String] = [
        // RF-style layout: x runs along the beam (far), y across the transducer (marked).
        // Transposed orientations (FM/FU/NM/NU) are not representable in MF without a transpose.
        "UltrasonixCurvilinearBrightnessData.igs.mha": "UltrasoundImageOrientation",
    ]

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsEveryFile() throws {
        let folder = PlusData.path("TestImages")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasSuffix(".mha") || $0.hasSuffix(".nrrd") }.sorted()
        #expect(names.count >= 30)
        for name in names {
            let path = folder + "/" + name
            let isVolume = name.contains("volumeRef") || name.contains("OutputCompare")
            do {
                if isVolume {
                    let v = try VolumeFile.read(path)
                    print("[all-files] \(name): volume \(v.geometry.dimensions) \(v.scalarType)")
                } else {
                    let s = try SequenceFile.read(path)
                    let f = s.frames.first
                    print("[all-files] \(name): \(s.frames.count) frames \(f?.image.width ?? 0)x\(f?.image.height ?? 0) \(f?.image.scalarType.rawValue ?? "-") \(s.storedOrientation.rawValue), transforms \(f?.transforms.keys.map(\.description).sorted() ?? [])")
                }
                #expect(AllPlusFilesTests.expectedFailures[name] == nil, "\(name) was expected to fail")
            } catch {
                print("[all-files] \(name): ERROR \(error)")
                #expect(error.description.contains(path), "error must name the file: \(error)")
                if let field = AllPlusFilesTests.expectedFailures[name] {
                    #expect(error.description.contains(field), "error must name \(field): \(error)")
                } else {
                    Issue.record("\(name): \(error)")
                }
            }
        }
    }
}
