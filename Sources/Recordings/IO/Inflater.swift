import CZlib

/// Streaming zlib/gzip decompression of a byte range of a file, a chunk at a time, so that
/// neither the whole compressed nor the whole decompressed data needs to be held in memory.
///
/// The stream format (zlib or gzip) is detected from its first bytes. Concatenated gzip members
/// are decoded one after the other.
final class Inflater {
    private let file: RawFile
    private let field: String
    private var inputOffset: Int
    private let inputEnd: Int
    private let stream: UnsafeMutablePointer<z_stream>
    private let chunk: UnsafeMutablePointer<UInt8>
    private let chunkSize: Int
    private var finished = false

    /// Decompresses `file` bytes `offset..<offset+length` (`length` nil: to the end of the file).
    /// `field` names the header field that announced the data, for error messages.
    init(file: RawFile, offset: Int, length: Int?, field: String, chunkSize: Int = 1 << 18) throws(RecordingError) {
        self.file = file
        self.field = field
        let fileSize = try file.size()
        if let length, offset + length > fileSize {
            throw .truncated(file: file.path, field: field, expectedBytes: length, availableBytes: max(0, fileSize - offset))
        }
        inputOffset = offset
        inputEnd = length.map { offset + $0 } ?? fileSize
        self.chunkSize = chunkSize
        chunk = .allocate(capacity: chunkSize)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let rc = inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        if rc != Z_OK {
            stream.deallocate()
            chunk.deallocate()
            throw .corruptData(file: file.path, field: field, message: "zlib initialisation failed (\(rc))")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        chunk.deallocate()
    }

    /// Fills `buffer[start..<start+count]` with decompressed bytes; returns how many it produced
    /// (fewer than `count` only when the compressed data ends).
    func read(into buffer: inout [UInt8], start: Int = 0, count: Int) throws(RecordingError) -> Int {
        precondition(start >= 0 && count >= 0 && start + count <= buffer.count)
        var result: Result<Int, RecordingError> = .success(0)
        buffer.withUnsafeMutableBytes { raw in
            do throws(RecordingError) {
                result = .success(try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[start..<(start + count)])))
            } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// Fills `buffer` with decompressed bytes; returns how many it produced (fewer than
    /// `buffer.count` only when the compressed data ends).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(RecordingError) -> Int {
        let count = buffer.count
        if count == 0 || finished { return 0 }
        let out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var produced = 0
        while produced < count {
            if stream.pointee.avail_in == 0 {
                let want = min(chunkSize, inputEnd - inputOffset)
                if want <= 0 { finished = true; break }
                let n = try file.read(into: chunk, count: want, at: inputOffset)
                if n == 0 { finished = true; break }
                inputOffset += n
                stream.pointee.next_in = chunk
                stream.pointee.avail_in = UInt32(n)
            }
            let ask = min(count - produced, Int(UInt32.max))
            stream.pointee.next_out = out + produced
            stream.pointee.avail_out = UInt32(ask)
            let rc = inflate(stream, Z_NO_FLUSH)
            produced += ask - Int(stream.pointee.avail_out)
            switch rc {
            case Z_OK:
                break
            case Z_BUF_ERROR:
                if stream.pointee.avail_in != 0 {
                    throw .corruptData(file: file.path, field: field, message: "zlib made no progress")
                }
            case Z_STREAM_END:
                // Another gzip member may follow; otherwise the data is complete.
                if stream.pointee.avail_in == 0 && inputOffset >= inputEnd { finished = true; return produced }
                if inflateReset(stream) != Z_OK {
                    throw .corruptData(file: file.path, field: field, message: "cannot restart after stream end")
                }
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "error \(rc)"
                throw .corruptData(file: file.path, field: field, message: "zlib: \(message)")
            }
        }
        return produced
    }
}

extension RawFile {
    /// Reads up to `count` bytes at `offset` into raw memory (used by the compression streams).
    func read(into pointer: UnsafeMutablePointer<UInt8>, count: Int, at offset: Int) throws(RecordingError) -> Int {
        try readRaw(into: UnsafeMutableRawBufferPointer(start: pointer, count: count), at: offset)
    }
}
