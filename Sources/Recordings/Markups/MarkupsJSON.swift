import Foundation

/// Slicer `.mrk.json` parsing and writing (markups schema v1.0.x).
enum MarkupsJSON {
    static let schema = "https://raw.githubusercontent.com/slicer/slicer/master/Modules/Loadable/Markups/Resources/Schema/markups-schema-v1.0.3.json#"

    /// Every markup of the file with its control points (points whose `positionStatus` is
    /// `undefined` are left out, as Slicer does).
    static func parse(_ text: String, file: String) throws(MarkupsError) -> [MarkupList] {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
            throw .invalidJSON(file: file, field: "(document)", reason: detail)
        }
        guard let object = root as? [String: Any] else {
            throw .invalidJSON(file: file, field: "(document)", reason: "expected a JSON object with a 'markups' array")
        }
        guard let markups = object["markups"] as? [Any] else {
            throw .invalidJSON(file: file, field: "markups", reason: "missing or not an array (is this a Slicer .mrk.json file?)")
        }
        var lists: [MarkupList] = []
        for (m, item) in markups.enumerated() {
            let field = "markups[\(m)]"
            guard let markup = item as? [String: Any] else { throw .invalidJSON(file: file, field: field, reason: "not an object") }
            let type = markup["type"] as? String ?? "Fiducial"
            var system = MarkupsCoordinateSystem.lps
            if let value = markup["coordinateSystem"] {
                guard let s = (value as? String).flatMap(MarkupsCoordinateSystem.init(fileValue:)) else {
                    throw .invalidJSON(file: file, field: field + ".coordinateSystem", reason: "'\(value)' is not LPS or RAS")
                }
                system = s
            }
            if let units = markup["coordinateUnits"] as? String, units != "mm" {
                throw .invalidJSON(file: file, field: field + ".coordinateUnits", reason: "'\(units)' is not supported (positions must be in mm)")
            }
            let controlPoints = markup["controlPoints"] as? [Any] ?? []
            var points: [MarkupPoint] = []
            for (i, cp) in controlPoints.enumerated() {
                let pointField = "\(field).controlPoints[\(i)]"
                guard let point = cp as? [String: Any] else { throw .invalidJSON(file: file, field: pointField, reason: "not an object") }
                if (point["positionStatus"] as? String) == "undefined" { continue }
                guard let position = point["position"] as? [Any], position.count == 3 else {
                    throw .invalidJSON(file: file, field: pointField + ".position", reason: "missing or not an array of 3 numbers")
                }
                var p = SIMD3<Double>()
                for a in 0..<3 {
                    guard let n = position[a] as? NSNumber, n.doubleValue.isFinite else {
                        throw .invalidNumber(file: file, location: "\(pointField).position[\(a)]", value: "\(position[a])")
                    }
                    p[a] = n.doubleValue
                }
                points.append(MarkupPoint(label: point["label"] as? String ?? "", position: system.toLPS(p)))
            }
            lists.append(MarkupList(type: type, name: markup["name"] as? String ?? "", points: points, fileCoordinateSystem: system))
        }
        return lists
    }

    /// The `.mrk.json` text of `lists` with positions in `system`.
    static func text(_ lists: [MarkupList], coordinateSystem system: MarkupsCoordinateSystem) -> String {
        var out = "{\n  \"@schema\": \"\(schema)\",\n  \"markups\": ["
        for (m, list) in lists.enumerated() {
            out += m == 0 ? "\n" : ",\n"
            out += "    {\n"
            out += "      \"type\": \(quoted(list.type)),\n"
            if !list.name.isEmpty { out += "      \"name\": \(quoted(list.name)),\n" }
            out += "      \"coordinateSystem\": \"\(system.rawValue)\",\n"
            out += "      \"coordinateUnits\": \"mm\",\n"
            out += "      \"controlPoints\": ["
            for (i, point) in list.points.enumerated() {
                let p = system.fromLPS(point.position)
                out += i == 0 ? "\n" : ",\n"
                out += "        { \"id\": \"\(i + 1)\", \"label\": \(quoted(point.label)), "
                out += "\"position\": [\(p.x), \(p.y), \(p.z)], \"positionStatus\": \"defined\" }"
            }
            out += list.points.isEmpty ? "]\n" : "\n      ]\n"
            out += "    }"
        }
        out += "\n  ]\n}\n"
        return out
    }

    /// A JSON string literal.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
