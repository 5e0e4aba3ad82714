import Geometry
import Imaging

/// The image geometry shared by all frames of a sequence being written.
struct FrameShape: Equatable {
    var width: Int
    var height: Int
    var components: Int
    var scalarType: ScalarType

    var frameBytes: Int { width * height * components * scalarType.byteCount }

    init(_ image: Image) {
        width = image.width
        height = image.height
        components = image.components
        scalarType = image.scalarType
    }

    /// The shape of `frames`, or an error naming the first frame that differs.
    static func common(_ frames: [TrackedFrame], path: String) throws(RecordingError) -> FrameShape {
        guard let first = frames.first else { return FrameShape(Image(width: 0, height: 0)) }
        let shape = FrameShape(first.image)
        for (i, f) in frames.enumerated() where FrameShape(f.image) != shape {
            throw .invalidField(file: path, field: "Seq_Frame\(SequenceLayout.frameNumber(i)) image",
                                value: "\(f.image.width)x\(f.image.height)x\(f.image.components) \(f.image.scalarType)",
                                reason: "all frames must match the first (\(shape.width)x\(shape.height)x\(shape.components) \(shape.scalarType))")
        }
        return shape
    }
}

/// Text of sequence-file headers, as PLUS writes them.
enum SequenceHeaderText {
    /// Width reserved for values patched after the data is written (`CompressedDataSize`).
    static let paddedWidth = 20

    /// A number that reads back to exactly the same Double: integers without a decimal point,
    /// everything else in the shortest round-tripping form.
    static func exact(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    /// The per-frame fields of `frame` (names without the `Seq_FrameNNNN_` prefix), in the order
    /// PLUS writes them: transforms with their statuses, other fields, timestamp, image status
    /// (`ImageStatus` in MetaImage, `Status` in PLUS's NRRD files).
    static func frameFields(_ frame: TrackedFrame, imageStatusName: String = "ImageStatus") -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        for (name, t) in frame.transforms.sorted(by: { $0.key.description < $1.key.description }) {
            let key = name.description + "Transform"
            result.append((key, t.matrix.elements.map(exact).joined(separator: " ")))
            result.append((key + "Status", t.status.rawValue))
        }
        for (name, value) in frame.fields.sorted(by: { $0.key < $1.key }) where name != "Timestamp" && name != imageStatusName {
            result.append((name, value))
        }
        result.append(("Timestamp", exact(frame.timestamp)))
        result.append((imageStatusName, frame.imageStatus.rawValue))
        return result
    }

    /// Header fields kept from a read file, with NRRD-style keys turned into MetaImage names.
    static func metaImageKey(_ key: String) -> String {
        guard key.contains(" ") else { return key }
        return key.split(separator: " ").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// NRRD key/value names for MetaImage-style keys PLUS spells differently in NRRD.
    static func nrrdKey(_ key: String) -> String {
        switch key {
        case "UltrasoundImageType": return "ultrasound image type"
        default: return key
        }
    }

    /// A MetaImage sequence header. `dataFile` is `LOCAL` or the data file's name; when
    /// `compressed`, `CompressedDataSize` is written padded so it can be patched in place
    /// (its value's byte offset in the returned text is `sizeOffset`).
    static func metaImage(shape: FrameShape, frameCount: Int, spacing: SIMD2<Double>, fileFields: [(key: String, value: String)],
                          frames: [[(name: String, value: String)]], compressed: Bool, compressedSize: Int?,
                          dataFile: String) -> (text: [UInt8], sizeOffset: Int?) {
        var (out, sizeOffset) = metaImagePrefix(shape: shape, frameCount: frameCount, spacing: spacing, fileFields: fileFields,
                                                compressed: compressed, compressedSize: compressedSize)
        out.reserveCapacity(out.utf8.count + frames.count * 600)
        for (i, fields) in frames.enumerated() { out += metaImageFrameLines(index: i, fields: fields) }
        out += metaImageDataLine(dataFile)
        return (Array(out.utf8), sizeOffset)
    }

    /// The MetaImage header lines before the per-frame fields.
    static func metaImagePrefix(shape: FrameShape, frameCount: Int, spacing: SIMD2<Double>, fileFields: [(key: String, value: String)],
                                compressed: Bool, compressedSize: Int?) -> (text: String, sizeOffset: Int?) {
        var fields: [(String, String)] = [
            ("ObjectType", "Image"), ("NDims", "3"), ("AnatomicalOrientation", "RAI"), ("BinaryData", "True"),
            ("BinaryDataByteOrderMSB", "False"), ("CenterOfRotation", "0 0 0"), ("CompressedData", compressed ? "True" : "False"),
            ("DimSize", "\(shape.width) \(shape.height) \(frameCount)"), ("ElementNumberOfChannels", "\(shape.components)"),
            ("ElementSpacing", "\(exact(spacing.x)) \(exact(spacing.y)) 1"), ("ElementType", shape.scalarType.metaImageName),
            ("Kinds", "domain domain list"), ("Offset", "0 0 0"), ("TransformMatrix", "1 0 0 0 1 0 0 0 1"),
            ("UltrasoundImageOrientation", "MFA"),
        ]
        for (key, value) in fileFields { fields.append((metaImageKey(key), oneLine(value))) }
        return metaImageLines(fields, compressedSize: compressedSize)
    }

    /// The one MetaImage header writer: `Key = Value` lines in the given order. After
    /// `CompressedData = True` comes `CompressedDataSize`, its value (`compressedSize`, or 0
    /// until the data is written) padded to `paddedWidth` so it can be patched in place; the
    /// byte offset of that value is returned.
    static func metaImageLines(_ fields: [(key: String, value: String)], compressedSize: Int?) -> (text: String, sizeOffset: Int?) {
        var out = ""
        var sizeOffset: Int?
        for (key, value) in fields {
            out += key; out += " = "; out += value; out += "\n"
            if key == "CompressedData", value == "True" {
                out += "CompressedDataSize = "
                sizeOffset = out.utf8.count
                out += pad(compressedSize.map(String.init) ?? "0", paddedWidth) + "\n"
            }
        }
        return (out, sizeOffset)
    }

    /// The `Seq_FrameNNNN_Name = value` lines of frame `index`.
    static func metaImageFrameLines(index: Int, fields: [(name: String, value: String)]) -> String {
        let prefix = "Seq_Frame" + SequenceLayout.frameNumber(index) + "_"
        var out = ""
        for (name, value) in fields { out += prefix; out += name; out += " = "; out += oneLine(value); out += "\n" }
        return out
    }

    /// The closing `ElementDataFile` line.
    static func metaImageDataLine(_ dataFile: String) -> String {
        "ElementDataFile = \(dataFile)\n"
    }

    /// A PLUS-style NRRD sequence header (attached data). With `slicer`, the image is given three
    /// spatial axes and the `axis 3 index` fields 3D Slicer's Sequences module reads.
    static func nrrd(shape: FrameShape, frameCount: Int, spacing: SIMD2<Double>, fileFields: [(key: String, value: String)],
                     frames: [[(name: String, value: String)]], timestamps: [Double], gzip: Bool, slicer: Bool) -> [UInt8] {
        var out = "NRRD0004\n# Complete NRRD file format specification at:\n# http://teem.sourceforge.net/nrrd/format.html\n"
        let vector = shape.components > 1
        let sx = exact(spacing.x), sy = exact(spacing.y)
        out += "type: \(shape.scalarType.nrrdName)\n"
        if slicer {
            out += "dimension: \(vector ? 5 : 4)\n"
            out += "space: left-posterior-superior\n"
            out += "sizes: \(vector ? "\(shape.components) " : "")\(shape.width) \(shape.height) 1 \(frameCount)\n"
            out += "space directions: \(vector ? "none " : "")(\(sx),0,0) (0,\(sy),0) (0,0,1) none\n"
            out += "kinds: \(vector ? "vector " : "")domain domain domain list\n"
            out += "labels: \(vector ? "\"\" " : "")\"\" \"\" \"\" \"frame\"\n"
        } else {
            out += "dimension: \(vector ? 4 : 3)\n"
            out += "space dimension: 2\n"
            out += "sizes: \(vector ? "\(shape.components) " : "")\(shape.width) \(shape.height) \(frameCount)\n"
            out += "space directions: \(vector ? "none " : "")(\(sx),0) (0,\(sy)) none\n"
            out += "kinds: \(vector ? "vector " : "")domain domain list\n"
        }
        out += "endian: little\n"
        out += "encoding: \(gzip ? "gzip" : "raw")\n"
        out += slicer ? "space origin: (0,0,0)\n" : "space origin: (0,0)\n"
        out += "ultrasound image orientation:=MFA\n"
        if slicer {
            let axis = vector ? 4 : 3
            out += "DataNodeClassName:=\(vector ? "vtkMRMLVectorVolumeNode" : "vtkMRMLScalarVolumeNode")\n"
            out += "axis \(axis) index type:=numeric\n"
            out += "axis \(axis) index values:=" + timestamps.map(exact).joined(separator: " ") + "\n"
        }
        for (key, value) in fileFields { out += nrrdKey(key) + ":=" + NrrdHeader.escape(value) + "\n" }
        for (i, fields) in frames.enumerated() {
            let prefix = "Seq_Frame" + SequenceLayout.frameNumber(i) + "_"
            for (name, value) in fields { out += prefix + name + ":=" + NrrdHeader.escape(value) + "\n" }
        }
        out += "\n"
        return Array(out.utf8)
    }

    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    /// MetaImage values cannot span lines.
    static func oneLine(_ s: String) -> String {
        s.contains("\n") ? s.replacingAll("\r", with: " ").replacingAll("\n", with: " ") : s
    }
}
