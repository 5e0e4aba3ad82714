/// Rewrites the geometry lines of a MetaImage header (`ElementSpacing`, `Offset`,
/// `TransformMatrix`, and `ElementDataFile` for a detached header), leaving every other line as is.
enum MetaImageGeometryLines {
    static func rewrite(_ lines: inout HeaderLines, header: RasterHeader, edit: GeometryEdit, sequence: Bool,
                        dataFile: String?) throws(RecordingError) {
        let n = header.dimensions.count
        let old = SpatialGeometry(sizes: header.dimensions, spacing: header.spacing, origin: header.origin,
                                  direction: header.direction, sign: [Double](repeating: 1, count: n))
        let g = try old.applying(edit, sequence: sequence, file: header.path)
        let e = SequenceHeaderText.exact
        var columnMajor = [Double](repeating: 0, count: n * n)
        for r in 0..<n { for c in 0..<n { columnMajor[c * n + r] = g.direction[r * n + c] } }
        let spacingValue = g.spacing.map(e).joined(separator: " ")
        let originValue = g.origin.map(e).joined(separator: " ")
        let matrixValue = columnMajor.map(e).joined(separator: " ")
        let spacingKeys: Set = ["ElementSpacing", "ElementSize"], originKeys: Set = ["Offset", "Position", "Origin"]
        let matrixKeys: Set = ["TransformMatrix", "Rotation", "Orientation"]
        var seen: Set<String> = []
        var dataLine: Int?
        for i in lines.lines.indices {
            let text = lines.text(i)
            guard let eq = text.firstIndex(of: "=") else { continue }
            let key = String(text[..<eq]).trimmed
            var value: String?
            if spacingKeys.contains(key), edit.spacing != nil { value = spacingValue; seen.insert("spacing") }
            if originKeys.contains(key), edit.origin != nil || edit.center { value = originValue; seen.insert("origin") }
            if matrixKeys.contains(key), edit.directions != nil { value = matrixValue; seen.insert("matrix") }
            if key == "ElementDataFile" {
                dataLine = i
                if let dataFile { value = dataFile }
            }
            if let value { lines.replace(i, with: key + " = " + value) }
        }
        guard let dataLine else { throw .missingField(file: header.path, field: "ElementDataFile") }
        var missing: [String] = []
        if edit.directions != nil, !seen.contains("matrix") { missing.append("TransformMatrix = " + matrixValue) }
        if edit.origin != nil || edit.center, !seen.contains("origin") { missing.append("Offset = " + originValue) }
        if edit.spacing != nil, !seen.contains("spacing") { missing.append("ElementSpacing = " + spacingValue) }
        for line in missing { lines.insert(line, at: dataLine) }
    }
}
