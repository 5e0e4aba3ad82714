import Imaging

/// Parses MetaImage (`.mha` / `.mhd`) headers: `Key = Value` lines ending with `ElementDataFile`.
enum MetaImageHeader {
    /// Reads the header of `path` into a `RasterHeader`.
    static func read(_ path: String) throws(RecordingError) -> RasterHeader {
        let file = try RawFile(path: path, mode: .read, role: "recording")
        var lines = HeaderLineReader(file: file)
        var fields: [(key: String, value: String)] = []
        var dataFile: String?
        while let line = try lines.nextLine() {
            guard let eq = line.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                if line.trimmed.isEmpty { continue }
                throw .invalidField(file: path, field: "header line \(lines.lineCount)", value: line, reason: "expected 'Key = Value'")
            }
            let key = String(line[..<eq]).trimmed
            let value = String(line[line.index(after: eq)...]).trimmed
            if key == "ElementDataFile" {
                dataFile = value
                break
            }
            fields.append((key, value))
            if lines.lineCount == 1, key != "ObjectType", key != "NDims", key != "Comment" {
                // Not a MetaImage file; fail fast rather than scanning binary data.
                throw .invalidField(file: path, field: key, value: value, reason: "a MetaImage header starts with ObjectType or NDims")
            }
        }
        guard let dataFile else { throw .missingField(file: path, field: "ElementDataFile") }
        let dataOffsetInHeader = lines.offset
        file.close()

        var firstValues: [String: String] = [:]
        for (key, value) in fields where !key.hasPrefix("Seq_Frame") && firstValues[key] == nil { firstValues[key] = value }
        func value(_ key: String) -> String? { firstValues[key] }
        func flag(_ key: String) -> Bool {
            guard let v = value(key)?.lowercased() else { return false }
            return v == "true" || v == "1" || v == "yes"
        }

        guard let ndimsText = value("NDims") else { throw .missingField(file: path, field: "NDims") }
        guard let ndims = Int(ndimsText), (1...4).contains(ndims) else {
            throw .invalidField(file: path, field: "NDims", value: ndimsText, reason: "expected 1 to 4")
        }
        guard let dimText = value("DimSize") else { throw .missingField(file: path, field: "DimSize") }
        let dims = try RasterHeader.sizes(dimText, file: path, field: "DimSize")
        if dims.count != ndims {
            throw .invalidField(file: path, field: "DimSize", value: dimText, reason: "NDims is \(ndims) but \(dims.count) sizes are given")
        }
        guard let typeText = value("ElementType") else { throw .missingField(file: path, field: "ElementType") }
        let scalarType: ScalarType
        if let t = ScalarType(metaImageName: typeText) {
            scalarType = t
        } else if typeText == "MET_OTHER", dims.prefix(max(ndims - 1, 1)).contains(0) {
            scalarType = .uint8   // PLUS tracker-only buffers: no pixels at all
        } else if typeText == "MET_OTHER" || typeText == "MET_NONE" {
            throw .invalidField(file: path, field: "ElementType", value: typeText, reason: "no element type for non-empty images")
        } else {
            throw .unsupported(file: path, field: "ElementType", value: typeText)
        }
        var components = 1
        if let c = value("ElementNumberOfChannels") {
            guard let n = Int(c), (1...64).contains(n) else {
                throw .invalidField(file: path, field: "ElementNumberOfChannels", value: c, reason: "expected 1 to 64")
            }
            components = n
        }
        var spacing = [Double](repeating: 1, count: ndims)
        if let s = value("ElementSpacing") ?? value("ElementSize") {
            let key = value("ElementSpacing") != nil ? "ElementSpacing" : "ElementSize"
            let v = try RasterHeader.numbers(s, file: path, field: key)
            if v.count < ndims { throw .invalidField(file: path, field: key, value: s, reason: "expected \(ndims) numbers") }
            spacing = Array(v.prefix(ndims))
        }
        var origin = [Double](repeating: 0, count: ndims)
        for key in ["Offset", "Position", "Origin"] {
            if let o = value(key) {
                let v = try RasterHeader.numbers(o, file: path, field: key)
                if v.count < ndims { throw .invalidField(file: path, field: key, value: o, reason: "expected \(ndims) numbers") }
                origin = Array(v.prefix(ndims))
                break
            }
        }
        var direction = [Double](repeating: 0, count: ndims * ndims)
        for i in 0..<ndims { direction[i * ndims + i] = 1 }
        for key in ["TransformMatrix", "Rotation", "Orientation"] {
            if let m = value(key) {
                let v = try RasterHeader.numbers(m, file: path, field: key)
                if v.count != ndims * ndims {
                    throw .invalidField(file: path, field: key, value: m, reason: "expected \(ndims * ndims) numbers")
                }
                // MetaImage stores the direction cosines column by column: element (r, c) is v[c * n + r].
                for r in 0..<ndims { for c in 0..<ndims { direction[r * ndims + c] = v[c * ndims + r] } }
                break
            }
        }
        let bigEndian = flag("BinaryDataByteOrderMSB") || flag("ElementByteOrderMSB")
        if let b = value("BinaryData"), b.lowercased() == "false" {
            throw .unsupported(file: path, field: "BinaryData", value: b)
        }

        var encoding = RasterHeader.Encoding.raw
        if flag("CompressedData") {
            var length: Int?
            if let c = value("CompressedDataSize") {
                guard let n = Int(c.trimmed), n >= 0 else {
                    throw .invalidField(file: path, field: "CompressedDataSize", value: c, reason: "expected a byte count")
                }
                length = n
            }
            encoding = .compressed(length: length)
        }

        let dataPath: String
        var dataOffset: Int? = dataOffsetInHeader
        if dataFile.isEmpty {
            throw .invalidField(file: path, field: "ElementDataFile", value: dataFile, reason: "expected LOCAL or a file name")
        } else if dataFile.uppercased() == "LOCAL" {
            dataPath = path
        } else if dataFile.uppercased().hasPrefix("LIST") || dataFile.contains("%") || dataFile.words.count > 1 {
            throw .unsupported(file: path, field: "ElementDataFile", value: dataFile)
        } else {
            dataPath = RasterHeader.resolve(dataFile, relativeTo: path)
            if let problem = RawFile.notRegular(dataPath, role: "ElementDataFile") {
                throw .invalidField(file: path, field: "ElementDataFile", value: dataFile, reason: problem)
            }
            dataOffset = 0
            if let h = value("HeaderSize") {
                guard let n = Int(h), n >= -1 else {
                    throw .invalidField(file: path, field: "HeaderSize", value: h, reason: "expected -1 or a byte count")
                }
                dataOffset = n == -1 ? nil : n
            }
        }
        return RasterHeader(path: path, dataPath: dataPath, dataOffset: dataOffset, encoding: encoding,
                            dimensions: dims, components: components, scalarType: scalarType, bigEndian: bigEndian,
                            spacing: spacing, origin: origin, direction: direction, fields: fields,
                            dimensionsField: "DimSize", dataField: "ElementDataFile", lineCount: lines.lineCount)
    }
}
