import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Testing
@testable import Recordings

/// Whether two frames carry the same pixels, time, statuses, transforms and fields.
func sameFrame(_ a: TrackedFrame, _ b: TrackedFrame) -> Bool {
    a.image == b.image && a.timestamp == b.timestamp && a.imageStatus == b.imageStatus
        && a.transforms == b.transforms && a.fields == b.fields
}

/// A small synthetic sequence exercising every per-frame feature.
func syntheticSequence(components: Int = 1, scalarType: ScalarType = .uint8, frames count: Int = 5) -> TrackedSequence {
    var frames: [TrackedFrame] = []
    let w = 7, h = 5
    for i in 0..<count {
        let n = w * h * components * scalarType.byteCount
        let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i &* 7) }
        let image = Image(width: w, height: h, components: components, scalarType: scalarType, bytes: bytes)
        let probe = Transform3D.translation(SIMD3(Double(i) * 0.1, 2.5, -3.75)) * .rotation(axis: SIMD3(0, 0, 1), angle: 0.1 * Double(i))
        frames.append(TrackedFrame(
            image: image, timestamp: 100.0 + Double(i) / 3.0, imageStatus: i == 2 ? .invalid : .ok,
            transforms: [TransformName("ProbeToTracker")!: TrackedTransform(matrix: probe, status: i == 3 ? .invalid : .ok),
                         TransformName("ReferenceToTracker")!: TrackedTransform(matrix: .identity, status: .ok)],
            fields: ["FrameNumber": "\(i + 10)", "Note": "frame with spaces \(i)"]))
    }
    return TrackedSequence(frames: frames, pixelSpacing: SIMD2(0.2, 0.3),
                           header: [(key: "UltrasoundImageType", value: "BRIGHTNESS")])
}

@Suite struct SequenceRoundTripTests {
    static let names = ["a.igs.mha", "b.mha", "c.mhd", "d.igs.nrrd", "e.seq.nrrd"]

    func roundTrip(_ sequence: TrackedSequence, name: String, compressed: Bool) throws {
        let dir = PlusData.temporaryDirectory("freehand-seq")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent(name).path
        try SequenceFile.write(sequence, to: path, compressed: compressed)
        let back = try SequenceFile.read(path)
        #expect(back.frames.count == sequence.frames.count, "\(name)")
        #expect(back.pixelSpacing == sequence.pixelSpacing, "\(name)")
        #expect(back.storedOrientation == .mf)
        for (a, b) in zip(sequence.frames, back.frames) {
            #expect(sameFrame(a, b), "\(name) compressed=\(compressed)")
        }
        #expect(back.header.map(\.value) == sequence.header.map(\.value), "\(name)")
        #expect(!FileManager.default.fileExists(atPath: path + ".partial"))
    }

    @Test(arguments: names)
    func syntheticRoundTrip(name: String) throws {
        for compressed in [true, false] {
            try roundTrip(syntheticSequence(), name: name, compressed: compressed)
            try roundTrip(syntheticSequence(components: 3), name: name, compressed: compressed)
            try roundTrip(syntheticSequence(scalarType: .int16), name: name, compressed: compressed)
            try roundTrip(syntheticSequence(scalarType: .float32, frames: 1), name: name, compressed: compressed)
        }
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func plusRecordingRoundTrip() throws {
        let sequence = try SequenceFile.read(PlusData.path("TestImages/SpinePhantomFreehand.igs.mha"))
        for name in SequenceRoundTripTests.names {
            try roundTrip(sequence, name: name, compressed: true)
        }
        try roundTrip(sequence, name: "raw.mhd", compressed: false)
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func trackerOnlyRoundTrip() throws {
        let sequence = try SequenceFile.read(PlusData.path("TestImages/EightLandmarkPointsTrackedForPhantomRegistration.igs.mha"))
        try roundTrip(sequence, name: "tracker.igs.mha", compressed: true)
    }

    @Test func rejectsMixedFrameSizes() throws {
        var sequence = syntheticSequence()
        sequence.frames[3].image = Image(width: 2, height: 2)
        let dir = PlusData.temporaryDirectory("freehand-seq")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("mixed.igs.mha").path
        #expect(throws: RecordingError.self) { try SequenceFile.write(sequence, to: path) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}

@Suite struct SequenceInteropTests {
    /// SimpleITK reads the written MetaImage sequence as a w x h x frames volume with the same
    /// bytes; pynrrd reads the NRRD variants with the same sizes, bytes and per-frame fields.
    @Test func externalReadersAgree() throws {
        let sequence = syntheticSequence(frames: 4)
        let dir = PlusData.temporaryDirectory("freehand-interop")
        defer { try? FileManager.default.removeItem(at: dir) }
        let all = sequence.frames.flatMap(\.image.bytes)
        let expected = checksum(all)
        let mha = dir.appendingPathComponent("s.igs.mha").path
        try SequenceFile.write(sequence, to: mha)
        let itk = """
        import sys, numpy as np, SimpleITK as sitk
        im = sitk.ReadImage(sys.argv[1]); a = sitk.GetArrayFromImage(im).astype(np.uint64).ravel()
        w = np.arange(a.size, dtype=np.uint64) % np.uint64(65521)
        print(im.GetSize(), im.GetSpacing()[:2], int(a.sum()), int((a*w).sum()))
        """
        if let out = Python.run(itk, [mha]) {
            #expect(out == "(7, 5, 4) (0.2, 0.3) \(expected.sum) \(expected.weighted)")
        }
        for name in ["s.igs.nrrd", "s.seq.nrrd"] {
            let path = dir.appendingPathComponent(name).path
            try SequenceFile.write(sequence, to: path)
            let nrrd = """
            import sys, numpy as np, nrrd
            d, h = nrrd.read(sys.argv[1], index_order='F'); a = d.astype(np.uint64).ravel(order='F')
            w = np.arange(a.size, dtype=np.uint64) % np.uint64(65521)
            print([int(x) for x in h['sizes']], int(a.sum()), int((a*w).sum()), h['Seq_Frame0003_ProbeToTrackerTransformStatus'])
            """
            if let out = Python.run(nrrd, [path]) {
                let sizes = name.hasPrefix("s.seq") ? "[7, 5, 1, 4]" : "[7, 5, 4]"
                #expect(out == "\(sizes) \(expected.sum) \(expected.weighted) INVALID", "\(name)")
            }
        }
    }
}

@Suite struct SlicerSequenceTests {
    /// An older 3D Slicer volume sequence: the list axis first, so frames are interleaved voxel by
    /// voxel (header laid out as in Slicer's Sequences documentation).
    @Test func readsListFirstVolumeSequence() throws {
        let frames = 3, w = 4, h = 2
        // Frame f, pixel p holds Int16(100 * f + p - 3).
        var data: [UInt8] = []
        for p in 0..<(w * h) {
            for f in 0..<frames {
                let v = Int16(100 * f + p - 3)
                data.append(UInt8(truncatingIfNeeded: v)); data.append(UInt8(truncatingIfNeeded: v >> 8))
            }
        }
        let header = """
        NRRD0005
        # Complete NRRD file format specification at:
        # http://teem.sourceforge.net/nrrd/format.html
        type: short
        dimension: 4
        space: right-anterior-superior
        sizes: \(frames) \(w) \(h) 1
        space directions: none (0.5,0,0) (0,0.5,0) (0,0,1)
        kinds: list domain domain domain
        labels: "frame" "" "" ""
        endian: little
        encoding: raw
        space origin: (-137.16,-36.8,-309.7)
        measurement frame: (1,0,0) (0,1,0) (0,0,1)
        DataNodeClassName:=vtkMRMLScalarVolumeNode
        axis 0 index type:=numeric
        axis 0 index values:=0.5 1.25 2


        """
        let dir = PlusData.temporaryDirectory("freehand-slicer")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("old.seq.nrrd").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(Array(header.utf8) + data))
        let seq = try SequenceFile.read(path)
        #expect(seq.frames.count == frames)
        #expect(seq.pixelSpacing == SIMD2(0.5, 0.5))
        #expect(seq.frames.map(\.timestamp) == [0.5, 1.25, 2])
        for f in 0..<frames {
            let image = seq.frames[f].image
            #expect(image.width == w && image.height == h && image.scalarType == .int16)
            #expect((0..<(w * h)).allSatisfy { image.value(x: $0 % w, y: $0 / w) == Double(100 * f + $0 - 3) })
        }
        #expect(seq.header.isEmpty, "Slicer bookkeeping fields are not kept: \(seq.header)")
        // Streaming gives the same frames, and skipping works on the in-memory copy.
        var reader = try SequenceReader(path: path)
        try reader.skip(to: 2)
        #expect(try reader.next()?.image == seq.frames[2].image)
        #expect(throws: RecordingError.self) { try VolumeFile.read(path) }
    }
}
