#if canImport(Glibc)
import Glibc
#endif
import CZlib
import Dispatch
import Imaging

/// Compresses a byte stream into one standard zlib (MetaImage) or gzip (NRRD) stream using all
/// cores, the way `pigz` does: the input is cut into blocks, each block is deflated on its own
/// (primed with the 32 KiB before it, so the ratio barely changes) and ended with a sync flush,
/// and the blocks are joined in order into one deflate stream with the usual header and a
/// checksum combined from the blocks'. Any zlib decoder reads the result as a single stream.
enum ParallelDeflater {
    /// Uncompressed bytes per block.
    static let blockSize = 1 << 20
    static let window = 1 << 15

    /// Compresses the concatenation of `pieces` (frames) to `file` at `offset`; returns the
    /// number of bytes written.
    static func write(_ pieces: [[UInt8]], to file: RawFile, at offset: Int, gzip: Bool, level: Int32 = 1) throws(RecordingError) -> Int {
        var pieceStarts: [Int] = []
        var total = 0
        for p in pieces { pieceStarts.append(total); total += p.count }
        let starts = pieceStarts
        return try write(totalBytes: total, to: file, at: offset, gzip: gzip, level: level) { from, to, out in
            // First piece holding `from` (binary search over the piece starts), then copy onwards.
            var lo = 0, hi = starts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if starts[mid] <= from { lo = mid } else { hi = mid - 1 }
            }
            var i = lo, at = from
            while at < to, i < pieces.count {
                let local = at - starts[i]
                let take = min(pieces[i].count - local, to - at)
                if take > 0 { out.append(contentsOf: pieces[i][local..<(local + take)]) }
                at += max(take, 0)
                i += 1
            }
        }
    }

    /// Compresses `bytes` to `file` at `offset`; returns the number of bytes written.
    static func write(_ bytes: UnsafeRawBufferPointer, to file: RawFile, at offset: Int, gzip: Bool, level: Int32 = 1) throws(RecordingError) -> Int {
        try bytes.withSharedBytes { (shared: SharedBuffer<UInt8>) throws(RecordingError) -> Int in
            try write(totalBytes: bytes.count, to: file, at: offset, gzip: gzip, level: level) { from, to, out in
                for i in from..<to { out.append(shared[i]) }
            }
        }
    }

    /// The engine: `copy(from, to, &out)` appends input bytes `from..<to` to `out` and is called
    /// concurrently (it must only read).
    private static func write(totalBytes total: Int, to file: RawFile, at offset: Int, gzip: Bool, level: Int32,
                              copy: @Sendable (Int, Int, inout [UInt8]) -> Void) throws(RecordingError) -> Int {
        var position = offset
        func emit(_ bytes: [UInt8]) throws(RecordingError) {
            try file.write(bytes, at: position)
            position += bytes.count
        }
        // zlib header for a fast level (CMF 0x78, FLG 0x01), or a minimal gzip header.
        try emit(gzip ? [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3] : [0x78, 0x01])

        var check: UInt = gzip ? crc32(0, nil, 0) : adler32(0, nil, 0)
        let blockCount = max(1, (total + blockSize - 1) / blockSize)
        let batch = max(1, System.coreCount * 2)   // bounds memory: a batch of blocks at a time
        var first = 0
        while first < blockCount {
            let count = min(batch, blockCount - first)
            var outputs = [(bytes: [UInt8], check: UInt, ok: Bool)](repeating: ([], 0, false), count: count)
            let firstBlock = first
            outputs.withSharedBuffer { out in
                DispatchQueue.concurrentPerform(iterations: count) { i in
                    let block = firstBlock + i
                    let start = block * blockSize, end = min(start + blockSize, total)
                    let dictionaryStart = max(0, start - window)
                    var input: [UInt8] = []
                    input.reserveCapacity(end - dictionaryStart)
                    copy(dictionaryStart, end, &input)
                    out[i] = deflateBlock(input, dictionaryLength: start - dictionaryStart,
                                          last: block == blockCount - 1, level: level, gzip: gzip)
                }
            }
            for (i, o) in outputs.enumerated() {
                guard o.ok else { throw .io(file: file.path, message: "zlib deflate failed") }
                try emit(o.bytes)
                let length = off_t(min(blockSize, total - (first + i) * blockSize))
                check = gzip ? crc32_combine(check, o.check, length) : adler32_combine(check, o.check, length)
            }
            first += count
        }

        // Trailer: Adler-32 (zlib, big-endian) or CRC-32 and length (gzip, little-endian).
        let c = UInt32(truncatingIfNeeded: check)
        if gzip {
            let size = UInt32(truncatingIfNeeded: total)
            try emit([UInt8(c & 0xff), UInt8(c >> 8 & 0xff), UInt8(c >> 16 & 0xff), UInt8(c >> 24),
                      UInt8(size & 0xff), UInt8(size >> 8 & 0xff), UInt8(size >> 16 & 0xff), UInt8(size >> 24)])
        } else {
            try emit([UInt8(c >> 24), UInt8(c >> 16 & 0xff), UInt8(c >> 8 & 0xff), UInt8(c & 0xff)])
        }
        return position - offset
    }

    /// Raw-deflates `input[dictionaryLength...]` primed with `input[..<dictionaryLength]`, ending
    /// with a sync flush (or, for the last block, the end of the stream); also returns the
    /// block's checksum (CRC-32 for gzip, Adler-32 for zlib).
    private static func deflateBlock(_ input: [UInt8], dictionaryLength: Int, last: Bool, level: Int32,
                                     gzip: Bool) -> (bytes: [UInt8], check: UInt, ok: Bool) {
        // zlib keeps a pointer back to the stream: give it a fixed address.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        guard deflateInit2_(stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
                             Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return ([], 0, false) }
        defer { deflateEnd(stream) }
        let dataCount = input.count - dictionaryLength
        var out = [UInt8](repeating: 0, count: Int(deflateBound(stream, UInt(dataCount))) + 64)
        var check: UInt = 0
        let ok: Bool = input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                guard let base = src.baseAddress ?? UnsafePointer(bitPattern: 1) else { return false }
                if dictionaryLength > 0, deflateSetDictionary(stream, base, UInt32(dictionaryLength)) != Z_OK { return false }
                let data = base + dictionaryLength
                check = gzip ? crc32(crc32(0, nil, 0), data, UInt32(dataCount))
                             : adler32(adler32(0, nil, 0), data, UInt32(dataCount))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: data)
                stream.pointee.avail_in = UInt32(dataCount)
                stream.pointee.next_out = dst.baseAddress
                stream.pointee.avail_out = UInt32(dst.count)
                let rc = deflate(stream, last ? Z_FINISH : Z_SYNC_FLUSH)
                return last ? rc == Z_STREAM_END : (rc == Z_OK && stream.pointee.avail_in == 0)
            }
        }
        guard ok else { return ([], 0, false) }
        out.removeLast(Int(stream.pointee.avail_out))
        return (out, check, true)
    }
}

/// The number of processors, for sizing parallel work.
enum System {
    static let coreCount: Int = {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 4
        #endif
    }()
}
