import Imaging

/// Parses NRRD headers (`NRRD000N` magic, `field: value` lines, `key:=value` pairs, blank line
/// before attached data, or a `data file:` for detached data).
///
/// Geometry is returned in ITK's LPS convention, as ITK and 3D Slicer's loaders interpret it:
/// a file in `right-anterior-superior` space has its x and y negated.
enum NrrdHeader {
    /// Axis kinds that hold the components of one sample rather than a spatial axis.
    static let componentKinds: Set<String> = [
        "vector", "covariant-vector", "normal", "stub", "scalar", "complex", "2-vector", "3-color", "rgb-color",
        "hsv-color", "xyz-color", "4-color", "rgba-color", "3-vector", "3-gradient", "3-normal", "4-vector",
        "quaternion", "2d-symmetric-matrix", "2d-masked-symmetric-matrix", "2d-matrix", "2d-masked-matrix",
        "3d-symmetric-matrix", "3d-masked-symmetric-matrix", "3d-matrix", "3d-masked-matrix",
    ]

    static func read(_ path: String) throws(RecordingError) -> RasterHeader {
        let file = try RawFile(path: path, mode: .read, role: "recording")
        var lines = HeaderLineReader(file: file)
        guard let magic = try lines.nextLine(maxLength: 64), magic.hasPrefix("NRRD000") else {
            throw .invalidField(file: path, field: "magic", value: "", reason: "a NRRD file starts with NRRD000N")
        }
        var standard: [String: String] = [:]
        var fields: [(key: String, value: String)] = []
        var sawBlank = false
        while let line = try lines.nextLine() {
            if line.isEmpty { sawBlank = true; break }
            if line.hasPrefix("#") { continue }
            if let r = line.firstRange(of: ":=") {
                let key = String(line[..<r.lowerBound])
                let value = NrrdHeader.unescape(String(line[r.upperBound...]))
                fields.append((key, value))
            } else if let r = line.firstRange(of: ": ") ?? line.firstRange(of: ":") {
                let key = String(line[..<r.lowerBound]).trimmed.lowercased()
                let value = String(line[r.upperBound...]).trimmed
                standard[key] = value
                fields.append((key, value))
            } else {
                throw .invalidField(file: path, field: "header line \(lines.lineCount)", value: line, reason: "expected 'field: value' or 'key:=value'")
            }
        }
        let dataOffsetInHeader = lines.offset
        let lineCount = lines.lineCount
        file.close()

        guard let dimText = standard["dimension"] else { throw .missingField(file: path, field: "dimension") }
        guard let dimension = Int(dimText), (1...16).contains(dimension) else {
            throw .invalidField(file: path, field: "dimension", value: dimText, reason: "expected 1 to 16")
        }
        guard let sizesText = standard["sizes"] else { throw .missingField(file: path, field: "sizes") }
        let sizes = try RasterHeader.sizes(sizesText, file: path, field: "sizes")
        if sizes.count != dimension {
            throw .invalidField(file: path, field: "sizes", value: sizesText, reason: "dimension is \(dimension) but \(sizes.count) sizes are given")
        }
        guard let typeText = standard["type"] else { throw .missingField(file: path, field: "type") }
        guard let scalarType = ScalarType(nrrdName: typeText) else { throw .unsupported(file: path, field: "type", value: typeText) }
        guard let encodingText = standard["encoding"] else { throw .missingField(file: path, field: "encoding") }
        let encoding: RasterHeader.Encoding
        switch encodingText.lowercased() {
        case "raw": encoding = .raw
        case "gzip", "gz": encoding = .compressed(length: nil)
        default: throw .unsupported(file: path, field: "encoding", value: encodingText)
        }
        var bigEndian = false
        if scalarType.byteCount > 1 {
            guard let endian = standard["endian"] else { throw .missingField(file: path, field: "endian") }
            switch endian.lowercased() {
            case "little": bigEndian = false
            case "big": bigEndian = true
            default: throw .invalidField(file: path, field: "endian", value: endian, reason: "expected little or big")
            }
        }

        // Axes: an optional leading component axis, then the grid.
        let kinds = standard["kinds"].map { $0.words.map { $0.lowercased() } }
        if let kinds, kinds.count != dimension {
            throw .invalidField(file: path, field: "kinds", value: standard["kinds"]!, reason: "expected \(dimension) kinds")
        }
        let directionsText = standard["space directions"]
        let directionVectors = try directionsText.map { (text: String) throws(RecordingError) -> [[Double]?] in
            try NrrdHeader.vectors(text, file: path, field: "space directions")
        }
        if let directionVectors, directionVectors.count != dimension {
            throw .invalidField(file: path, field: "space directions", value: directionsText!, reason: "expected \(dimension) entries")
        }
        var componentAxis = false
        if dimension > 1, let kinds, componentKinds.contains(kinds[0]) { componentAxis = true }
        if dimension > 1, kinds == nil, let directionVectors, directionVectors[0] == nil,
           directionVectors.dropFirst().allSatisfy({ $0 != nil }) { componentAxis = true }
        // Older 3D Slicer volume sequences put the list axis first (frames interleaved per voxel).
        let listFirst = !componentAxis && dimension >= 3 && kinds?.first == "list"
        if let kinds, kinds.dropFirst(componentAxis || listFirst ? 1 : 0).dropLast().contains("list"), dimension >= 3 {
            throw .unsupported(file: path, field: "kinds", value: standard["kinds"]!)
        }
        let components = componentAxis ? sizes[0] : 1
        if components < 1 || components > 64 {
            throw .invalidField(file: path, field: "sizes", value: sizesText, reason: "\(components) components per sample")
        }
        // Axes in storage order with the component axis removed; a leading list axis moves last.
        var axisOrder = Array((componentAxis ? 1 : 0)..<dimension)
        if listFirst { axisOrder = Array(axisOrder.dropFirst()) + [0] }
        let dims = axisOrder.map { sizes[$0] }
        let n = dims.count

        // Spacing, origin and directions (LPS).
        var spacing = [Double](repeating: 1, count: n)
        var direction = [Double](repeating: 0, count: n * n)
        for i in 0..<n { direction[i * n + i] = 1 }
        var origin = [Double](repeating: 0, count: n)
        var spaceSign = [Double](repeating: 1, count: max(n, 3))
        if let space = standard["space"] { for (i, s) in NrrdHeader.lpsSign(space: space).enumerated() { spaceSign[i] = s } }
        if let directionVectors {
            let axisVectors = axisOrder.map { directionVectors[$0] }
            for (j, v) in axisVectors.enumerated() {
                guard let v else { continue }   // list / non-spatial axis
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                if norm == 0 {
                    throw .invalidField(file: path, field: "space directions", value: directionsText!, reason: "axis \(j) has a zero direction")
                }
                spacing[j] = norm
                for r in 0..<min(v.count, n) { direction[r * n + j] = v[r] / norm * spaceSign[r] }
                if v.count < n { for r in v.count..<n { direction[r * n + j] = r == j ? 1 : 0 } }
            }
        } else if let s = standard["spacings"] {
            let values = s.words.map { Double($0) }
            if values.count != dimension {
                throw .invalidField(file: path, field: "spacings", value: s, reason: "expected \(dimension) values")
            }
            for (j, axis) in axisOrder.enumerated() {
                if let v = values[axis], v.isFinite, v > 0 { spacing[j] = v }
            }
        }
        if let o = standard["space origin"] {
            guard let v = try NrrdHeader.vectors(o, file: path, field: "space origin").first ?? nil else {
                throw .invalidField(file: path, field: "space origin", value: o, reason: "expected (x,y,z)")
            }
            for i in 0..<min(v.count, n) { origin[i] = v[i] * spaceSign[i] }
        }

        // Data location.
        var dataPath = path
        var dataOffset: Int? = dataOffsetInHeader
        if let dataFile = standard["data file"] ?? standard["datafile"] {
            if dataFile.hasPrefix("LIST") || dataFile.words.count > 1 {
                throw .unsupported(file: path, field: "data file", value: dataFile)
            }
            dataPath = RasterHeader.resolve(dataFile, relativeTo: path)
            if let problem = RawFile.notRegular(dataPath, role: "data file") {
                throw .invalidField(file: path, field: "data file", value: dataFile, reason: problem)
            }
            dataOffset = 0
        } else if !sawBlank {
            throw .invalidField(file: path, field: "data file", value: "", reason: "no blank line before attached data and no detached data file")
        }
        if let skip = standard["byte skip"] {
            guard let b = Int(skip), b >= -1 else {
                throw .invalidField(file: path, field: "byte skip", value: skip, reason: "expected -1 or a byte count")
            }
            if b == -1 {
                if encoding != .raw { throw .invalidField(file: path, field: "byte skip", value: skip, reason: "-1 needs raw encoding") }
                dataOffset = nil
            } else {
                dataOffset = (dataOffset ?? 0) + b
            }
        }
        if let skip = standard["line skip"], skip != "0" {
            throw .unsupported(file: path, field: "line skip", value: skip)
        }
        var header = RasterHeader(path: path, dataPath: dataPath, dataOffset: dataOffset, encoding: encoding,
                                  dimensions: dims, components: components, scalarType: scalarType, bigEndian: bigEndian,
                                  spacing: spacing, origin: origin, direction: direction, fields: fields,
                                  dimensionsField: "sizes", dataField: dataPath == path ? "encoding" : "data file", lineCount: lineCount)
        header.interleavedFrames = listFirst
        return header
    }

    /// The signs that turn coordinates in NRRD `space` into ITK's LPS (and back): x and y negated
    /// for right-anterior-superior, y for left-anterior-superior.
    static func lpsSign(space: String) -> [Double] {
        switch space.trimmed.lowercased() {
        case "right-anterior-superior", "ras", "right-anterior-superior-time", "ras-time": return [-1, -1, 1]
        case "left-anterior-superior", "las": return [1, -1, 1]
        default: return [1, 1, 1]
        }
    }

    /// Parses `(1,0,0) none (0,1,0)` into vectors (`nil` for `none`).
    static func vectors(_ text: String, file: String, field: String) throws(RecordingError) -> [[Double]?] {
        var result: [[Double]?] = []
        var rest = Substring(text)
        while true {
            while let f = rest.first, f == " " || f == "\t" { rest.removeFirst() }
            if rest.isEmpty { break }
            if rest.hasPrefix("none") {
                result.append(nil)
                rest = rest.dropFirst(4)
                continue
            }
            guard rest.first == "(", let close = rest.firstIndex(of: ")") else {
                throw .invalidField(file: file, field: field, value: text, reason: "expected (x,y,...) or none")
            }
            let inner = rest[rest.index(after: rest.startIndex)..<close]
            var v: [Double] = []
            for part in inner.split(separator: ",") {
                guard let d = Double(part.trimmingCharacters()), d.isFinite else {
                    throw .invalidField(file: file, field: field, value: text, reason: "'\(part)' is not a finite number")
                }
                v.append(d)
            }
            result.append(v)
            rest = rest[rest.index(after: close)...]
        }
        return result
    }

    /// Undoes NRRD key/value escaping (`\n`, `\\`).
    static func unescape(_ s: String) -> String {
        guard s.contains("\\") else { return s }
        var out = ""
        var escaped = false
        for c in s {
            if escaped { out.append(c == "n" ? "\n" : c); escaped = false }
            else if c == "\\" { escaped = true }
            else { out.append(c) }
        }
        return out
    }

    /// Escapes a value for a `key:=value` line.
    static func escape(_ s: String) -> String {
        guard s.contains("\\") || s.contains("\n") else { return s }
        return s.replacingAll("\\", with: "\\\\").replacingAll("\n", with: "\\n")
    }
}

extension Substring {
    func trimmingCharacters() -> String { String(self).trimmed }
}

extension String {
    /// Replaces every occurrence of `target` (no Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        var out = ""
        var rest = Substring(self)
        while let r = rest.firstRange(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        out += rest
        return out
    }
}
