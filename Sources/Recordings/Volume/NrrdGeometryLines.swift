/// Rewrites the geometry lines of a NRRD header (`space directions`, `space origin`, `spacings`,
/// and `data file` for a detached header) in the file's own `space`, leaving every other line as is.
enum NrrdGeometryLines {
    static func rewrite(_ lines: inout HeaderLines, header: RasterHeader, edit: GeometryEdit, sequence: Bool,
                        dataFile: String?) throws(RecordingError) {
        var fieldLine: [String: Int] = [:]
        for i in lines.lines.indices.dropFirst() {
            let text = lines.text(i)
            if text.isEmpty { break }
            if text.hasPrefix("#") || text.contains(":=") { continue }
            guard let colon = text.firstIndex(of: ":") else { continue }
            fieldLine[String(text[..<colon]).trimmed.lowercased()] = i
        }
        func value(_ key: String) -> String? {
            fieldLine[key].map { i in let t = lines.text(i); return String(t[t.index(after: t.firstIndex(of: ":")!)...]).trimmed }
        }
        let path = header.path
        let sizes = try RasterHeader.sizes(value("sizes") ?? "", file: path, field: "sizes")
        let e = SequenceHeaderText.exact
        if let directionsText = value("space directions") {
            let vectors = try NrrdHeader.vectors(directionsText, file: path, field: "space directions")
            let spatial = vectors.indices.filter { vectors[$0] != nil }
            guard let d = spatial.first.map({ vectors[$0]!.count }), spatial.allSatisfy({ vectors[$0]!.count == d }),
                  sizes.count == vectors.count else {
                throw .invalidField(file: path, field: "space directions", value: directionsText, reason: "no spatial axes of one dimension")
            }
            let n = spatial.count
            var direction = [Double](repeating: 0, count: d * n), spacing = [Double](repeating: 1, count: n)
            for (j, axis) in spatial.enumerated() {
                let v = vectors[axis]!
                let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
                spacing[j] = norm
                for r in 0..<d { direction[r * n + j] = norm > 0 ? v[r] / norm : 0 }
            }
            let sign = Array(NrrdHeader.lpsSign(space: value("space") ?? "").prefix(d)) + [Double](repeating: 1, count: max(0, d - 3))
            var origin = [Double](repeating: 0, count: d)
            if let o = value("space origin"), let v = try NrrdHeader.vectors(o, file: path, field: "space origin").first ?? nil, v.count == d {
                origin = v
            }
            let old = SpatialGeometry(sizes: spatial.map { sizes[$0] }, spacing: spacing, origin: origin, direction: direction, sign: sign)
            let g = try old.applying(edit, sequence: sequence, file: path)
            var entries: [String] = []
            var j = 0
            for v in vectors {
                guard v != nil else { entries.append("none"); continue }
                entries.append("(" + (0..<d).map { e(g.direction[$0 * n + j] * g.spacing[j]) }.joined(separator: ",") + ")")
                j += 1
            }
            lines.replace(fieldLine["space directions"]!, with: "space directions: " + entries.joined(separator: " "))
            if edit.origin != nil || edit.center {
                let text = "space origin: (" + g.origin.map(e).joined(separator: ",") + ")"
                if let i = fieldLine["space origin"] { lines.replace(i, with: text) } else { lines.insert(text, at: fieldLine["space directions"]! + 1) }
            }
        } else if let spacingsText = value("spacings"), let s = edit.spacing, edit.origin == nil, edit.directions == nil, !edit.center {
            var values = spacingsText.words.map(String.init)
            let axes = values.indices.filter { Double(values[$0])?.isFinite ?? false }
            guard s.count == 1 || s.count <= axes.count else {
                throw .invalidField(file: path, field: "spacings", value: spacingsText, reason: "--spacing gives \(s.count) values for \(axes.count) axes")
            }
            for (j, axis) in axes.enumerated() where s.count == 1 || j < s.count { values[axis] = e(s.count == 1 ? s[0] : s[j]) }
            lines.replace(fieldLine["spacings"]!, with: "spacings: " + values.joined(separator: " "))
        } else {
            throw .missingField(file: path, field: "space directions (needed to set an origin or directions; only 'spacings' can be edited without it)")
        }
        if let dataFile {
            guard let i = fieldLine["data file"] ?? fieldLine["datafile"] else { throw .missingField(file: path, field: "data file") }
            lines.replace(i, with: "data file: " + dataFile)
        }
    }
}
