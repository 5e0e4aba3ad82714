/// A header split into lines, each kept with its own line end so untouched lines are written back
/// byte for byte.
struct HeaderLines {
    var lines: [[UInt8]]

    init(_ bytes: [UInt8]) {
        lines = []
        var start = 0
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") {
            lines.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
    }

    var bytes: [UInt8] { lines.flatMap { $0 } }

    /// The text of line `i` without its line end.
    func text(_ i: Int) -> String {
        var l = lines[i][...]
        while let last = l.last, last == 10 || last == 13 { l = l.dropLast() }
        return String(decoding: l, as: UTF8.self)
    }

    /// The line end line `i` uses (`\n` when it has none).
    func ending(_ i: Int) -> String {
        lines[i].suffix(2) == [13, 10] ? "\r\n" : "\n"
    }

    mutating func replace(_ i: Int, with text: String) { lines[i] = Array((text + ending(i)).utf8) }
    mutating func insert(_ text: String, at i: Int) { lines.insert(Array((text + ending(max(0, i - 1))).utf8), at: i) }
}
