/// Reads the text header at the start of a file line by line, remembering the byte offset just
/// after the last line returned (where binary data starts).
///
/// Reads the file in chunks, so a multi-megabyte header (PLUS writes every per-frame field in
/// it) costs one pass and no whole-file buffer.
struct HeaderLineReader {
    private let file: RawFile
    private var buffer: [UInt8] = []
    private var bufferStart = 0      // file offset of buffer[0]
    private var position = 0         // index into buffer of the next unread byte
    private var atEnd = false
    private let chunkSize: Int
    /// File offset of the first byte after the last line returned.
    private(set) var offset = 0
    /// Number of lines returned so far.
    private(set) var lineCount = 0

    init(file: RawFile, chunkSize: Int = 1 << 16) {
        self.file = file
        self.chunkSize = chunkSize
    }

    /// The next line without its line end (`\n` or `\r\n`), or nil at the end of the file.
    /// Lines longer than `maxLength` bytes are an error: a header line is never that long, and a
    /// binary file must not be scanned into memory.
    mutating func nextLine(maxLength: Int = 1 << 20) throws(RecordingError) -> String? {
        while true {
            if let nl = buffer[position...].firstIndex(of: UInt8(ascii: "\n")) {
                var end = nl
                if end > position, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let line = String(decoding: buffer[position..<end], as: UTF8.self)
                position = nl + 1
                offset = bufferStart + position
                lineCount += 1
                return line
            }
            if buffer.count - position > maxLength {
                throw .invalidField(file: file.path, field: "header", value: "", reason: "a header line is longer than \(maxLength) bytes (binary data without a header?)")
            }
            if atEnd {
                if position >= buffer.count { return nil }
                let line = String(decoding: buffer[position...], as: UTF8.self)
                position = buffer.count
                offset = bufferStart + position
                lineCount += 1
                return line
            }
            // Drop consumed bytes, then append the next chunk.
            if position > 0 {
                buffer.removeFirst(position)
                bufferStart += position
                position = 0
            }
            let old = buffer.count
            buffer.append(contentsOf: repeatElement(0, count: chunkSize))
            let n = try file.read(into: &buffer, start: old, count: chunkSize, at: bufferStart + old)
            buffer.removeLast(chunkSize - n)
            if n < chunkSize { atEnd = true }
        }
    }
}

extension String {
    /// Whitespace-separated words.
    var words: [Substring] {
        split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" })
    }

    /// Without leading and trailing whitespace.
    var trimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" || f == "\n" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" || l == "\n" { s.removeLast() }
        return String(s)
    }
}
