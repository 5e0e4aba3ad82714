import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Reconstruction

/// Every frame's ImageToReference and pixel-to-voxel matrix against IGSIO's, bit for bit, from a
/// dump of `scripts/igsio-harness/frame_matrices` (needs an IGSIO build, so it runs only when
/// FREEHAND_IGSIO_MATRICES, ..._CONFIG and ..._SEQUENCE name the dump and its inputs; see
/// scripts/igsio-harness/build-frame-matrices.sh).
@Suite struct IGSIOMatrixDumpTests {
    static let environment = ProcessInfo.processInfo.environment
    static let dump = environment["FREEHAND_IGSIO_MATRICES"] ?? ""
    static let config = environment["FREEHAND_IGSIO_MATRICES_CONFIG"] ?? ""
    static let sequence = environment["FREEHAND_IGSIO_MATRICES_SEQUENCE"] ?? ""
    static let enabled = !dump.isEmpty && !config.isEmpty && !sequence.isEmpty

    @Test(.enabled(if: enabled, "set FREEHAND_IGSIO_MATRICES, FREEHAND_IGSIO_MATRICES_CONFIG and FREEHAND_IGSIO_MATRICES_SEQUENCE (scripts/igsio-harness/build-frame-matrices.sh)"))
    func everyFrameMatchesIGSIOBitForBit() throws {
        let lines = try String(contentsOfFile: Self.dump, encoding: .utf8).split(separator: "\n")
        let device = try DeviceSetConfiguration.load(Self.config)
        let settings = try ReconstructionSettings(element: try #require(device.volumeReconstruction))
        let calibration = device.transformRepository()
        let pipeline = RecordingReconstruction(settings: settings, calibration: calibration, threads: 1)
        let grid = try pipeline.outputGrid(path: Self.sequence)
        let frames = try SequenceFile.read(Self.sequence).frames

        let gridBits = try #require(lines.first).split(separator: " ").dropFirst().map { try Self.double($0) }
        let ours = [grid.origin.x, grid.origin.y, grid.origin.z, grid.spacing.x, grid.spacing.y, grid.spacing.z]
        #expect(gridBits.map(\.bitPattern) == ours.map(\.bitPattern), "grid origin/spacing differ from IGSIO's")

        var transformFrames = 0, mappingFrames = 0, compared = 0
        var transformUlps: UInt64 = 0, mappingUlps: UInt64 = 0
        for line in lines.dropFirst() {
            let f = line.split(separator: " ")
            let index = try #require(Int(f[1]))
            guard f[2] == "OK", index < frames.count,
                  let m = VolumeReconstructor.imageToReference(for: frames[index], calibration: calibration, name: settings.imageToReferenceName)
            else { continue }
            let values = try f.dropFirst(3).map { try Self.double($0) }
            let igsioTransform = Array(values[0..<16]), igsioMapping = Array(values[16..<32])
            compared += 1
            let t = zip(m.elements, igsioTransform).map { Self.ulps($0, $1) }.max() ?? 0
            if t > 0 { transformFrames += 1; transformUlps = max(transformUlps, t) }
            let mapping = FrameMapping(imageToReference: m, grid: grid)
            let ourMapping = [mapping.xAxis.x, mapping.yAxis.x, mapping.origin.x,
                              mapping.xAxis.y, mapping.yAxis.y, mapping.origin.y,
                              mapping.xAxis.z, mapping.yAxis.z, mapping.origin.z]
            let theirs = [igsioMapping[0], igsioMapping[1], igsioMapping[3],
                          igsioMapping[4], igsioMapping[5], igsioMapping[7],
                          igsioMapping[8], igsioMapping[9], igsioMapping[11]]
            let u = zip(ourMapping, theirs).map { Self.ulps($0, $1) }.max() ?? 0
            if u > 0 { mappingFrames += 1; mappingUlps = max(mappingUlps, u) }
        }
        print("IGSIO matrices: \(compared) frames compared; ImageToReference differs in \(transformFrames) (max \(transformUlps) ulp), pixel-to-voxel in \(mappingFrames) (max \(mappingUlps) ulp)")
        #expect(compared > 0)
        #expect(transformFrames == 0 && mappingFrames == 0)
    }

    static func double(_ hex: Substring) throws -> Double {
        Double(bitPattern: try #require(UInt64(hex, radix: 16), "not a 16-digit hex double: \(hex)"))
    }

    /// Distance in units in the last place (0 when equal, including +0 and -0).
    static func ulps(_ a: Double, _ b: Double) -> UInt64 {
        if a == b { return 0 }
        func ordered(_ x: Double) -> Int64 {
            let i = Int64(bitPattern: x.bitPattern)
            return i < 0 ? Int64.min &- i : i
        }
        let d = ordered(a) &- ordered(b)
        return d.magnitude
    }
}
