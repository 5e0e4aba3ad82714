import CZlib

/// Compresses a byte stream that arrives piece by piece into one zlib (MetaImage) or gzip
/// (NRRD) stream, for writers that never hold all their data (reslicing thousands of
/// slices). One zlib stream, fed in order; the output of each piece is returned as it comes.
/// Where all data is in memory, `ParallelDeflater` is faster.
final class StreamingDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false
    let path: String

    /// A deflater producing a gzip (`gzip`) or zlib stream; `path` names the file in errors.
    init(gzip: Bool, level: Int32 = 1, path: String) throws(RecordingError) {
        self.path = path
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard deflateInit2_(stream, level, Z_DEFLATED, gzip ? 31 : 15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                            Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            stream.deallocate()
            throw .io(file: path, message: "zlib deflateInit failed")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `bytes` (and ends the stream when `finish`); returns the compressed bytes
    /// produced so far.
    func compress(_ bytes: [UInt8], finish: Bool = false) throws(RecordingError) -> [UInt8] {
        var result: Result<[UInt8], RecordingError> = .success([])
        bytes.withUnsafeBytes { raw in
            do throws(RecordingError) { result = .success(try compress(raw, finish: finish)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// See `compress(_:finish:)`.
    func compress(_ bytes: UnsafeRawBufferPointer, finish: Bool = false) throws(RecordingError) -> [UInt8] {
        precondition(!finished, "StreamingDeflater used after finishing")
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.pointee.next_in = base.map { UnsafeMutablePointer(mutating: $0) }
        stream.pointee.avail_in = UInt32(bytes.count)
        var failed = false
        repeat {
            let produced: Int = chunk.withUnsafeMutableBufferPointer { c in
                stream.pointee.next_out = c.baseAddress
                stream.pointee.avail_out = UInt32(c.count)
                let rc = deflate(stream, finish ? Z_FINISH : Z_NO_FLUSH)
                if rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR { failed = true }
                return c.count - Int(stream.pointee.avail_out)
            }
            if failed { throw .io(file: path, message: "zlib deflate failed") }
            out.append(contentsOf: chunk[0..<produced])
        } while stream.pointee.avail_out == 0 || (finish && stream.pointee.avail_in > 0)
        if finish { finished = true }
        return out
    }
}
