import Foundation

/// Reads and writes 3D Slicer markups: `.mrk.json` (any markup type with control points:
/// curves, point lists, lines ...), `.fcsv` (Slicer's fiducial CSV) and plain CSV files of
/// x,y,z points. Positions come back in LPS whatever the file's coordinate system.
public enum MarkupsFile {
    /// Markups files above this size are refused before reading.
    public static let maximumFileBytes = 64 << 20

    /// The lists in `path`, by extension: `.mrk.json`/`.json`, `.fcsv`, `.csv` (or `.txt`).
    /// - Parameter csvCoordinateSystem: the system of plain CSV files without a
    ///   `# CoordinateSystem = ...` line (default LPS, the volume's frame).
    public static func read(_ path: String, csvCoordinateSystem: MarkupsCoordinateSystem = .lps) throws(MarkupsError) -> [MarkupList] {
        let lower = path.lowercased()
        let text = try contents(of: path)
        let lists: [MarkupList]
        if lower.hasSuffix(".json") {
            lists = try MarkupsJSON.parse(text, file: path)
        } else if lower.hasSuffix(".fcsv") {
            lists = [try MarkupsCSV.parse(text, file: path, slicerFormat: true, defaultSystem: .ras)]
        } else if lower.hasSuffix(".csv") || lower.hasSuffix(".txt") {
            lists = [try MarkupsCSV.parse(text, file: path, slicerFormat: false, defaultSystem: csvCoordinateSystem)]
        } else {
            throw .unknownFormat(file: path)
        }
        guard lists.contains(where: { !$0.points.isEmpty }) else { throw .noPoints(file: path) }
        return lists
    }

    /// The points of the first list in `path` that has any (the usual one-curve file).
    public static func readPoints(_ path: String, csvCoordinateSystem: MarkupsCoordinateSystem = .lps) throws(MarkupsError) -> MarkupList {
        let lists = try read(path, csvCoordinateSystem: csvCoordinateSystem)
        guard let list = lists.first(where: { !$0.points.isEmpty }) else { throw .noPoints(file: path) }
        return list
    }

    /// Writes `lists` as a Slicer `.mrk.json` file with positions in `coordinateSystem`; the file
    /// is written under a temporary name and renamed into place.
    public static func write(_ lists: [MarkupList], to path: String, coordinateSystem: MarkupsCoordinateSystem = .lps) throws(MarkupsError) {
        guard path.lowercased().hasSuffix(".json") else {
            throw .unknownFormat(file: path + " (markups are written as .mrk.json)")
        }
        for list in lists {
            for (i, p) in list.points.enumerated() where !(p.position.x.isFinite && p.position.y.isFinite && p.position.z.isFinite) {
                throw .invalidNumber(file: path, location: "point \(i) (\(p.label))", value: "\(p.position)")
            }
        }
        let text = MarkupsJSON.text(lists, coordinateSystem: coordinateSystem)
        let temporary = path + ".partial"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: path) {
                _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: temporary))
            } else {
                try FileManager.default.moveItem(atPath: temporary, toPath: path)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    static func contents(of path: String) throws(MarkupsError) -> String {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw .io(file: path, message: "cannot open: no such file or not readable")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumFileBytes else {
            throw .io(file: path, message: "\(size) bytes is more than the \(maximumFileBytes >> 20) MiB a markups file may have")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(file: path, message: "cannot read") }
        guard let text = String(data: data, encoding: .utf8) else { throw .io(file: path, message: "not UTF-8 text") }
        return text
    }

    /// A finite Double from `text`, or an error naming `location`.
    static func number(_ text: Substring, file: String, location: @autoclosure () -> String) throws(MarkupsError) -> Double {
        let t = text.trimmingCharacters()
        guard let v = Double(t), v.isFinite else { throw .invalidNumber(file: file, location: location(), value: t) }
        return v
    }
}
