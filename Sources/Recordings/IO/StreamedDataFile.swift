/// A file made of a header followed by data that arrives in pieces, compressed into one zlib
/// or gzip stream or stored raw, for the streaming sequence and volume writers. It is built at
/// `path + ".partial"` and renamed to `path` by `finish()`; dropped unfinished, the partial
/// file is removed.
final class StreamedDataFile {
    let path: String
    private let temporary: String
    private let file: RawFile
    private let deflater: StreamingDeflater?
    private let sizeOffset: Int?
    private let dataStart: Int
    private var offset: Int
    private var streamEnded = false
    private var done = false

    /// Writes `header`; `sizeOffset` is where the compressed data size is patched in (MetaImage's
    /// padded `CompressedDataSize` value), `gzip` picks gzip (NRRD) over zlib (MetaImage).
    init(path: String, header: [UInt8], sizeOffset: Int?, compressed: Bool, gzip: Bool) throws(RecordingError) {
        self.path = path
        self.sizeOffset = sizeOffset
        temporary = path + ".partial"
        file = try RawFile(path: temporary, mode: .create)
        do {
            try file.write(header, at: 0)
            deflater = compressed ? try StreamingDeflater(gzip: gzip, path: path) : nil
        } catch {
            file.close()
            RawFile.remove(temporary)
            throw error
        }
        dataStart = header.count
        offset = header.count
    }

    deinit {
        if !done {
            file.close()
            RawFile.remove(temporary)
        }
    }

    /// Appends the next piece of data; `last` ends the compressed stream.
    func append(_ bytes: [UInt8], last: Bool) throws(RecordingError) {
        precondition(!done && !streamEnded, "StreamedDataFile used after its last piece")
        let out = try deflater?.compress(bytes, finish: last) ?? bytes
        try file.write(out, at: offset)
        offset += out.count
        if last { streamEnded = true }
    }

    /// Ends the stream if no piece did, patches the compressed size, renames into place.
    func finish() throws(RecordingError) {
        guard !done else { return }
        if !streamEnded { try append([], last: true) }
        if let sizeOffset {
            try file.write(Array(SequenceHeaderText.pad(String(offset - dataStart), SequenceHeaderText.paddedWidth).utf8), at: sizeOffset)
        }
        file.close()
        try RawFile.rename(temporary, to: path)
        done = true
    }
}
