import CZlib

/// Streaming zlib or gzip compression appended to a file at a running offset.
final class Deflater {
    private let file: RawFile
    private let stream: UnsafeMutablePointer<z_stream>
    private let chunk: UnsafeMutablePointer<UInt8>
    private let chunkSize = 1 << 18
    /// File offset where the next compressed byte goes.
    private(set) var offset: Int
    /// Compressed bytes written so far.
    private(set) var written = 0

    /// Starts a stream at `offset` of `file`; `gzip` selects the gzip wrapper (NRRD) instead of zlib (MetaImage).
    init(file: RawFile, offset: Int, gzip: Bool, level: Int32 = 1) throws(RecordingError) {
        self.file = file
        self.offset = offset
        chunk = .allocate(capacity: chunkSize)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = deflateInit2_(stream, level, Z_DEFLATED, gzip ? 15 + 16 : 15, 8, Z_DEFAULT_STRATEGY,
                               zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deallocate()
            chunk.deallocate()
            throw .io(file: file.path, message: "zlib initialisation failed (\(rc))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        chunk.deallocate()
    }

    /// Compresses `bytes` and appends the output.
    func write(_ bytes: UnsafeRawBufferPointer) throws(RecordingError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        var remaining = bytes.count
        var next = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        while remaining > 0 {
            let n = min(remaining, Int(UInt32.max / 2))
            stream.pointee.next_in = next
            stream.pointee.avail_in = UInt32(n)
            try pump(Z_NO_FLUSH)
            next += n
            remaining -= n
        }
    }

    /// Compresses `bytes` and appends the output.
    func write(_ bytes: [UInt8]) throws(RecordingError) {
        var failure: RecordingError?
        bytes.withUnsafeBytes { raw in
            do throws(RecordingError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Ends the stream; returns the total compressed size.
    func finish() throws(RecordingError) -> Int {
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try pump(Z_FINISH)
        return written
    }

    private func pump(_ flush: Int32) throws(RecordingError) {
        while true {
            stream.pointee.next_out = chunk
            stream.pointee.avail_out = UInt32(chunkSize)
            let rc = deflate(stream, flush)
            if rc == Z_STREAM_ERROR { throw .io(file: file.path, message: "zlib deflate failed") }
            let produced = chunkSize - Int(stream.pointee.avail_out)
            if produced > 0 {
                try file.write(UnsafeRawBufferPointer(start: chunk, count: produced), at: offset)
                offset += produced
                written += produced
            }
            if flush == Z_FINISH {
                if rc == Z_STREAM_END { return }
            } else if stream.pointee.avail_in == 0 && stream.pointee.avail_out != 0 {
                return
            }
        }
    }
}
