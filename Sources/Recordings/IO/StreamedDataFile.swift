/// The data part shared by the streamed sequence and volume writers: a header written first
/// under a temporary name, then the data appended as it comes (one zlib or gzip stream when
/// compressed, else copied), the header's compressed size patched in at the end and the file
/// renamed into place. Dropped before `commit()`, the temporary file is removed.
final class StreamedDataFile {
    private let path: String
    private let file: RawFile
    private let deflater: StreamingDeflater?
    /// Where the header's compressed-data size field starts (MetaImage), padded to `SequenceHeaderText.paddedWidth`.
    private let sizeOffset: Int?
    private let dataStart: Int
    private var offset: Int
    private var streamEnded = false
    private var committed = false

    /// Starts a temporary file beside `path` holding `header`; the data is compressed when
    /// `compressed` (gzip when `gzip`, else zlib).
    init(path: String, header: [UInt8], sizeOffset: Int?, compressed: Bool, gzip: Bool) throws(RecordingError) {
        self.path = path
        self.sizeOffset = sizeOffset
        file = try RawFile.temporary(for: path)
        do {
            try file.write(header, at: 0)
            deflater = compressed ? try StreamingDeflater(gzip: gzip, path: path) : nil
        } catch {
            file.discard()
            throw error
        }
        dataStart = header.count
        offset = header.count
    }

    deinit {
        if !committed { file.discard() }
    }

    /// Appends `bytes`; `last` ends the compressed stream.
    func append(_ bytes: [UInt8], last: Bool) throws(RecordingError) {
        let out = try deflater?.compress(bytes, finish: last) ?? bytes
        try file.write(out, at: offset)
        offset += out.count
        if last { streamEnded = true }
    }

    /// Ends the compressed stream if no data ended it, writes the data size into the header
    /// and renames the file to `path`.
    func commit() throws(RecordingError) {
        if !streamEnded, deflater != nil { try append([], last: true) }
        if let sizeOffset {
            try file.write(Array(SequenceHeaderText.pad(String(offset - dataStart), SequenceHeaderText.paddedWidth).utf8), at: sizeOffset)
        }
        try file.commit(to: path)
        committed = true
    }
}
