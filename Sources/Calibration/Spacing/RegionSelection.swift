/// An imaging region given by hand: `--rows FACE...DEEPEST` (pixel rows of the transducer face and
/// of the deepest data, inclusive) or `--region X0,Y0,X1,Y1` (inclusive corners).
public struct RegionSelection: Sendable, Hashable, CustomStringConvertible {
    public var rows: ClosedRange<Int>
    public var columns: ClosedRange<Int>?

    public init(rows: ClosedRange<Int>, columns: ClosedRange<Int>? = nil) {
        self.rows = rows
        self.columns = columns
    }

    /// Parses `A...B`, `A..B`, `A:B` or `A-B` as rows.
    public init?(rows text: String) {
        for separator in ["...", "..", ":", "-"] {
            let parts = text.split(separator: separator, omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a >= 0, b > a {
                self.init(rows: a...b)
                return
            }
        }
        return nil
    }

    /// Parses `X0,Y0,X1,Y1` (inclusive pixel corners).
    public init?(region text: String) {
        let v = text.split(separator: ",").compactMap { Int($0.trimmingSpaces) }
        guard v.count == 4, v.allSatisfy({ $0 >= 0 }), v[2] > v[0], v[3] > v[1] else { return nil }
        self.init(rows: v[1]...v[3], columns: v[0]...v[2])
    }

    public var description: String {
        columns.map { "columns \($0.lowerBound)...\($0.upperBound), rows \(rows.lowerBound)...\(rows.upperBound)" } ?? "rows \(rows.lowerBound)...\(rows.upperBound)"
    }
}

private extension Substring {
    var trimmingSpaces: String {
        var s = self
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
