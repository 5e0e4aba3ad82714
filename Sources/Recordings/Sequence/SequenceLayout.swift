import Geometry
import Imaging

/// A sequence file's header interpreted as frames: image size and type, the stored orientation,
/// the file-level fields and each frame's own fields.
struct SequenceLayout {
    var header: RasterHeader
    var width: Int
    var height: Int
    var frameCount: Int
    var orientation: UltrasoundImageOrientation
    var pixelSpacing: SIMD2<Double>
    /// File-level fields other than those the writers regenerate, in file order.
    var fileFields: [(key: String, value: String)]
    /// Per-frame fields (`Seq_FrameNNNN_` prefix removed), in file order, by frame index. Sparse,
    /// so its size follows the header's lines, never a frame count read from the header.
    var frameFields: [Int: [(name: String, value: String)]]
    /// The transform each distinct `...Transform` field name stands for (parsed once, not per frame).
    var transformNames: [String: TransformName] = [:]

    var components: Int { header.components }
    var scalarType: ScalarType { header.scalarType }
    var frameBytes: Int { width * height * header.sampleBytes }
    var path: String { header.path }

    /// Header keys that describe the grid or encoding; the writers produce them, so they are not
    /// kept among the file-level fields.
    static let geometryKeys: Set<String> = Set([
        "ObjectType", "NDims", "AnatomicalOrientation", "BinaryData", "BinaryDataByteOrderMSB", "ElementByteOrderMSB",
        "CenterOfRotation", "CompressedData", "CompressedDataSize", "DimSize", "ElementNumberOfChannels",
        "ElementSpacing", "ElementSize", "ElementType", "Kinds", "Offset", "Position", "Origin", "TransformMatrix",
        "Rotation", "Orientation", "ElementDataFile", "HeaderSize", "UltrasoundImageOrientation",
        "dimension", "type", "encoding", "endian", "sizes", "space dimension", "space directions", "space origin",
        "kinds", "space", "data file", "datafile", "spacings", "content", "byte skip", "line skip", "space units",
        "measurement frame", "thicknesses", "centerings", "labels", "units", "axis mins", "axis maxs",
    ].map(RasterHeader.normalizedKey))

    init(header: RasterHeader) throws(RecordingError) {
        self.header = header
        let path = header.path
        let dims = header.dimensions
        switch dims.count {
        case 1:
            width = dims[0]; height = 1; frameCount = 1
        case 2:
            width = dims[0]; height = dims[1]; frameCount = 1
        case 3:
            width = dims[0]; height = dims[1]; frameCount = dims[2]
        case 4 where dims[2] == 1:
            // 3D Slicer volume sequence of single-slice images: I J K=1 list.
            width = dims[0]; height = dims[1]; frameCount = dims[3]
        default:
            throw .unsupported(file: path, field: header.dimensionsField, value: dims.map(String.init).joined(separator: " "))
        }
        pixelSpacing = SIMD2(header.spacing.count > 0 ? header.spacing[0] : 1, header.spacing.count > 1 ? header.spacing[1] : 1)

        // Orientation: MF when absent or "XX" (no image), otherwise one of the four PLUS codes.
        orientation = .mf
        if let code = header.field("UltrasoundImageOrientation")?.trimmed, !code.isEmpty, !code.uppercased().hasPrefix("XX") {
            guard let o = UltrasoundImageOrientation(code: code) else {
                throw .unsupported(file: path, field: "UltrasoundImageOrientation", value: code)
            }
            orientation = o
        }

        // Bound the per-frame table by what the file can hold before allocating it.
        let frameBytes = width * height * header.sampleBytes
        if frameBytes == 0, frameCount > max(1, header.lineCount) {
            throw .invalidField(file: path, field: header.dimensionsField, value: dims.map(String.init).joined(separator: " "),
                                reason: "\(frameCount) frames without pixels but only \(header.lineCount) header lines")
        }
        if frameBytes > 0 { _ = try header.totalBytes() }

        var fileFields: [(key: String, value: String)] = []
        var frameFields: [Int: [(name: String, value: String)]] = [:]
        var indexValues: [Substring]?
        var names: [String: TransformName] = [:]
        // Per-frame fields move out of the header into `frameFields` (kept once, not twice), and
        // each distinct field name is stored once: the header of a long recording then costs
        // about its own text, whatever the frame count.
        var kept: [(key: String, value: String)] = []
        var interned: [String: String] = [:]
        for (key, value) in header.fields {
            if let slicer = SequenceLayout.slicerAxisField(key) {
                // 3D Slicer: `axis N index values:=t0 t1 ...`, `axis N item I Name:=value`.
                if slicer.item == nil, slicer.name == "index values" {
                    indexValues = value.words
                } else if let item = slicer.item {
                    guard item < frameCount else {
                        throw .invalidField(file: path, field: key, value: value,
                                            reason: "item \(item) is beyond the \(frameCount) frames given by \(header.dimensionsField)")
                    }
                    let name = interned[slicer.name] ?? slicer.name
                    interned[name] = name
                    frameFields[item, default: []].append((name, value))
                    continue
                }
            } else if key == "DataNodeClassName" {
                continue
            } else if let (index, parsedName) = SequenceLayout.frameField(key) {
                guard index < frameCount else {
                    throw .invalidField(file: path, field: key, value: value,
                                        reason: "frame \(index) is beyond the \(frameCount) frames given by \(header.dimensionsField)")
                }
                let name = interned[parsedName] ?? parsedName
                interned[name] = name
                frameFields[index, default: []].append((name, value))
                if name.hasSuffix("Transform"), names[name] == nil, let t = TransformName(name) { names[name] = t }
                continue
            } else if !SequenceLayout.geometryKeys.contains(RasterHeader.normalizedKey(key)) {
                fileFields.append((key, value))
            }
            kept.append((key, value))
        }
        self.header.fields = kept
        if let indexValues, indexValues.count == frameCount, indexValues.allSatisfy({ Double($0) != nil }) {
            for i in 0..<frameCount where !(frameFields[i]?.contains(where: { $0.name == "Timestamp" }) ?? false) {
                frameFields[i, default: []].append(("Timestamp", String(indexValues[i])))
            }
        }
        self.fileFields = fileFields
        self.frameFields = frameFields
        transformNames = names
    }

    /// Parses 3D Slicer's `axis <A> index type`, `axis <A> index values` and
    /// `axis <A> item <I> <Name>` keys.
    static func slicerAxisField(_ key: String) -> (axis: Int, item: Int?, name: String)? {
        guard key.hasPrefix("axis ") else { return nil }
        let words = key.split(separator: " ", maxSplits: 3)
        guard words.count >= 3, words[0] == "axis", let axis = Int(words[1]) else { return nil }
        if words[2] == "item", words.count == 4 {
            let rest = words[3].split(separator: " ", maxSplits: 1)
            guard rest.count == 2, let item = Int(rest[0]), item >= 0 else { return nil }
            return (axis, item, String(rest[1]))
        }
        guard words[2] == "index", words.count == 4 else { return nil }
        return (axis, nil, "index " + words[3])
    }

    /// Splits `Seq_Frame0012_ProbeToTrackerTransform` into (12, "ProbeToTrackerTransform").
    static func frameField(_ key: String) -> (Int, String)? {
        let prefix = "Seq_Frame"
        guard key.hasPrefix(prefix) else { return nil }
        let rest = key.utf8.dropFirst(prefix.utf8.count)
        var index = 0
        var digits = 0
        var i = rest.startIndex
        while i < rest.endIndex, let d = rest[i].asciiDigit {
            index = index * 10 + d
            digits += 1
            if digits > 9 { return nil }
            i = rest.index(after: i)
        }
        guard digits > 0, i < rest.endIndex, rest[i] == UInt8(ascii: "_") else { return nil }
        let name = String(Substring(key.utf8[rest.index(after: i)...]))
        guard !name.isEmpty else { return nil }
        return (index, name)
    }

    /// Builds frame `index` around its pixels (already in MF orientation).
    ///
    /// Per-frame fields follow IGSIO's reader, so an incomplete or damaged frame makes that frame
    /// unusable, never the whole file:
    /// - a `...Transform` without its `...TransformStatus` field is not usable:
    ///   `igsioTrackedFrame::GetFrameTransformStatus` fails (status TOOL_INVALID) and
    ///   `vtkIGSIOTransformRepository::SetTransforms` then leaves the transform out;
    /// - a `Timestamp` that is not a number is reported and ignored (`igsioTrackedFrame::SetFrameField`
    ///   logs "Unable to convert Timestamp" and keeps 0); timestamps out of order or repeated are
    ///   kept as they are (`vtkIGSIOMetaImageSequenceIO::ReadImageHeader` neither sorts nor drops);
    /// - a transform that is not 16 finite numbers, or whose rotation part is not a rotation
    ///   (IGSIO would use such a matrix as it is) is marked INVALID here, with the reason, so the
    ///   frame is skipped and counted instead of pasted with a wrong pose.
    func frame(_ index: Int, image: Image) throws(RecordingError) -> TrackedFrame {
        let fields = frameFields[index] ?? []
        var frame = TrackedFrame(image: image, timestamp: 0)
        var statuses: [String: String] = [:]
        for (name, value) in fields where name.hasSuffix("TransformStatus") {
            statuses[String(name.dropLast("Status".count))] = value
        }
        var usedStatus: Set<String> = []
        for (name, value) in fields {
            if name == "Timestamp" {
                if let t = Double(value.trimmed), t.isFinite {
                    frame.timestamp = t
                } else {
                    frame.problems.append(.timestampUnreadable(value: RecordingError.printable(value)))
                }
            } else if name == "ImageStatus" || (header.isNrrd && name == "Status") {
                // PLUS writes the image status as `ImageStatus` in MetaImage and `Status` in NRRD.
                frame.imageStatus = TransformStatus(plusText: value)
            } else if let transformName = transformNames[name] {
                var status = statuses[name].map { TransformStatus(plusText: $0) } ?? .invalid
                if statuses[name] != nil { usedStatus.insert(name + "Status") } else {
                    frame.problems.append(.transformWithoutStatus(name: transformName.description))
                }
                var matrix = Transform3D.identity
                switch FrameProblem.check(transformValue: value, name: transformName.description) {
                case let .success(m): matrix = m
                case let .failure(problem):
                    frame.problems.append(problem)
                    status = .invalid
                }
                frame.transforms[transformName] = TrackedTransform(matrix: matrix, status: status)
            } else {
                frame.fields[name] = value
            }
        }
        for name in usedStatus { frame.fields.removeValue(forKey: name) }
        return frame
    }

    /// The frame number as PLUS writes it: at least four digits.
    static func frameNumber(_ index: Int) -> String {
        let s = String(index)
        return s.count >= 4 ? s : String(repeating: "0", count: 4 - s.count) + s
    }
}

extension UInt8 {
    var asciiDigit: Int? { self >= 48 && self <= 57 ? Int(self - 48) : nil }
}
