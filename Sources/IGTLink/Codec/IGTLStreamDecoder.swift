/// An incremental, bounded OpenIGTLink decoder independent of any transport.
///
/// Feed bytes as they arrive, in pieces of any size, with `append(_:)`; then call `next()`
/// (or `nextFrame()`) until it returns nil. Never holds more than one header, one body of at
/// most `options.maxBodySize` bytes, and the bytes appended since. A fatal error (bad header,
/// absurd BODY_SIZE) is thrown once; the decoder then refuses further use (`.streamPoisoned`)
/// and the connection should be closed.
///
/// ```swift
/// var decoder = IGTLStreamDecoder()
/// decoder.append(chunk)
/// while let result = try decoder.next() {
///     if case .message(let m) = result { print(m.typeName, m.deviceName) }
/// }
/// ```
public struct IGTLStreamDecoder: Sendable {
    /// Limits and checks.
    public var options: IGTLDecodingOptions
    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var pendingHeader: IGTLHeader?
    private var poisoned = false

    public init(options: IGTLDecodingOptions = .standard) {
        self.options = options
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, or nil when more bytes are needed.
    /// - Throws: a fatal `IGTLError` when the stream cannot be framed any more.
    public mutating func nextFrame() throws(IGTLError) -> IGTLFrame? {
        guard !poisoned else { throw .streamPoisoned }
        if pendingHeader == nil {
            guard bufferedByteCount >= IGTLHeader.size else { return nil }
            do {
                let start = readIndex
                let header = try buffer.withUnsafeBytes { raw in
                    Result { () throws(IGTLError) in
                        try IGTLHeader.parse(UnsafeRawBufferPointer(rebasing: raw[start..<(start + IGTLHeader.size)]))
                    }
                }.get()
                try Self.checkBodySize(header, options: options)
                readIndex += IGTLHeader.size
                pendingHeader = header
            } catch {
                poisoned = true
                buffer = []
                readIndex = 0
                throw error
            }
        }
        guard let header = pendingHeader else { return nil }
        let size = Int(header.bodySize)
        guard bufferedByteCount >= size else { return nil }
        let body = Array(buffer[readIndex..<(readIndex + size)])
        readIndex += size
        pendingHeader = nil
        if readIndex == buffer.count { buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20); readIndex = 0 }
        return IGTLFrame(header: header, body: body)
    }

    /// The next decoded message (or skipped message), or nil when more bytes are needed.
    /// - Throws: a fatal `IGTLError` when the stream cannot be framed any more.
    public mutating func next() throws(IGTLError) -> IGTLDecodeResult? {
        guard let frame = try nextFrame() else { return nil }
        do {
            return .message(try IGTLMessage(frame: frame, options: options))
        } catch {
            return .skipped(frame, error)
        }
    }

    /// Rejects a BODY_SIZE above the limit (fatal: the sender is broken or hostile).
    static func checkBodySize(_ header: IGTLHeader, options: IGTLDecodingOptions) throws(IGTLError) {
        if header.bodySize > UInt64(max(0, options.maxBodySize)) {
            throw .bodyTooLarge(header.context, bodySize: header.bodySize, limit: options.maxBodySize)
        }
    }
}
