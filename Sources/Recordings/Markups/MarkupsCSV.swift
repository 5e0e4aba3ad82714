/// Slicer `.fcsv` and plain x,y,z CSV parsing.
enum MarkupsCSV {
    /// Parses a fiducial CSV. `.fcsv` (`slicerFormat`): `# CoordinateSystem = LPS|RAS|0|1`
    /// and `# columns = id,x,y,z,...,label,...` comment lines, default columns
    /// `id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID`. Plain CSV: `x,y,z` (or
    /// a header line naming `x`, `y`, `z` and optionally `label` columns); `#` lines are comments.
    static func parse(_ text: String, file: String, slicerFormat: Bool, defaultSystem: MarkupsCoordinateSystem) throws(MarkupsError) -> MarkupList {
        var system = defaultSystem
        var columns: [String: Int]? = slicerFormat ? ["x": 1, "y": 2, "z": 3, "label": 11] : nil
        var points: [MarkupPoint] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.trimmingCharacters().isEmpty { continue }
            if line.hasPrefix("#") {
                let comment = line.dropFirst().trimmingCharacters()
                guard let eq = comment.firstIndex(of: "=") else { continue }
                let key = comment[..<eq].trimmingCharacters().lowercased()
                let value = String(comment[comment.index(after: eq)...]).trimmed
                if key == "coordinatesystem" {
                    guard let s = MarkupsCoordinateSystem(fileValue: value) else {
                        throw .invalidLine(file: file, line: lineNumber, reason: "CoordinateSystem '\(value.prefix(20))' is not LPS, RAS, 0 (RAS) or 1 (LPS)")
                    }
                    system = s
                } else if key == "columns" {
                    columns = try columnMap(fields(Substring(value)), file: file, line: lineNumber)
                }
                continue
            }
            let cells = fields(line)
            if columns == nil {
                // Plain CSV: a first line that is not numeric names the columns.
                if cells.count >= 3, cells.prefix(3).allSatisfy({ Double($0.trimmed) != nil }) {
                    columns = ["x": 0, "y": 1, "z": 2]
                } else {
                    columns = try columnMap(cells, file: file, line: lineNumber)
                    continue
                }
            }
            let map = columns!
            let needed = max(map["x"]!, map["y"]!, map["z"]!)
            guard cells.count > needed else {
                throw .invalidLine(file: file, line: lineNumber, reason: "\(cells.count) fields, need at least \(needed + 1) (x, y, z)")
            }
            var p = SIMD3<Double>()
            for (axis, name) in ["x", "y", "z"].enumerated() {
                p[axis] = try MarkupsFile.number(Substring(cells[map[name]!]), file: file, location: "line \(lineNumber), field \(name)")
            }
            let label = map["label"].flatMap { $0 < cells.count ? cells[$0] : nil } ?? ""
            points.append(MarkupPoint(label: label, position: system.toLPS(p)))
        }
        return MarkupList(type: "Fiducial", name: "", points: points, fileCoordinateSystem: system)
    }

    /// Column positions from a header (`id,x,y,z,...` or `x,y,z,label`); x, y and z are required.
    static func columnMap(_ names: [String], file: String, line: Int) throws(MarkupsError) -> [String: Int] {
        var map: [String: Int] = [:]
        for (i, n) in names.enumerated() {
            let key = n.trimmed.lowercased()
            if ["x", "y", "z", "label"].contains(key), map[key] == nil { map[key] = i }
        }
        guard map["x"] != nil, map["y"] != nil, map["z"] != nil else {
            throw .invalidLine(file: file, line: line, reason: "expected numbers x,y,z or a header naming x, y and z columns, got '\(names.joined(separator: ",").prefix(60))'")
        }
        return map
    }

    /// Splits one CSV line at commas, honouring double-quoted fields (`""` is a quote).
    static func fields(_ line: Substring) -> [String] {
        var out: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        while let c = iterator.next() {
            if quoted {
                if c == "\"" {
                    if let n = iterator.next() {
                        if n == "\"" { current.append("\"") } else { quoted = false; if n == "," { out.append(current); current = "" } else { current.append(n) } }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                out.append(current); current = ""
            } else {
                current.append(c)
            }
        }
        out.append(current)
        return out
    }
}
