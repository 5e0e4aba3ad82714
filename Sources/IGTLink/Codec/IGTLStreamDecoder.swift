/// The OpenIGTLink stream decoder: incremental, bounded, hostile-input safe. The only framing
/// and decoding path, used by `IGTLClient` and `IGTLServer` (it is their SwiftNIO
/// `ByteToMessageDecoder`, see `IGTLStreamDecoder+NIO.swift`), by the fuzz tests and the
/// libFuzzer harness, and by anything that reads a recorded byte stream.
///
/// Standalone use: feed bytes as they arrive, in pieces of any size, with `append(_:)`; then
/// call `next()` until it returns nil. Never holds more than one message of at most
/// `options.maxBodySize` body bytes plus the bytes appended since: BODY_SIZE is checked as
/// soon as the 58 header bytes are in, before the body is buffered. A fatal error (bad header,
/// absurd BODY_SIZE) is thrown once; the decoder then refuses further use (`.streamPoisoned`)
/// and the connection should be closed. A message that frames but does not decode (bad CRC,
/// truncated field, NaN matrix, ...) comes back as `.skipped` and the stream continues.
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
    private var poisoned = false
    /// The header at the start of the unread bytes while its body is incomplete (parsed once).
    private var pendingHeader: IGTLHeader?
    /// Receive buffer of the standalone API (`append`/`next`); the SwiftNIO conformance uses
    /// the channel's `ByteBuffer` instead.
    private var buffer: [UInt8] = []
    private var readIndex = 0

    public init(options: IGTLDecodingOptions = .standard) {
        self.options = options
    }

    /// Bytes appended but not yet returned as messages.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Appends received bytes.
    public mutating func append<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        if readIndex > 0 && readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next decoded (or skipped) message, or nil when more bytes are needed.
    /// - Throws: a fatal `IGTLError` when the stream cannot be framed any more.
    public mutating func next() throws(IGTLError) -> IGTLDecodeResult? {
        let bytes = buffer  // shares storage; lets `decode` mutate `self` while the bytes are borrowed
        let start = readIndex
        let step: (result: IGTLDecodeResult, length: Int)?
        do {
            step = try bytes.withUnsafeBytes { raw in
                Result { () throws(IGTLError) in try self.decode(unread: raw.tail(from: start)) }
            }.get()
        } catch {
            buffer = []
            readIndex = 0
            throw error
        }
        guard let step else { return nil }
        readIndex += step.length
        if readIndex == buffer.count { buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20); readIndex = 0 }
        return step.result
    }

    /// The one framing and decoding step: when `unread` starts with a complete message,
    /// decodes it and returns the result and the message's length on the wire (header + body);
    /// nil when more bytes are needed. The body is read in place (borrowed), so pixels are
    /// copied once, into the message; only a skipped message's body is copied into its frame.
    /// - Throws: a fatal `IGTLError` (version, TYPE, BODY_SIZE); the decoder is then poisoned.
    mutating func decode(unread: UnsafeRawBufferPointer) throws(IGTLError) -> (result: IGTLDecodeResult, length: Int)? {
        guard !poisoned else { throw .streamPoisoned }
        guard unread.count >= IGTLHeader.size else { return nil }
        let header: IGTLHeader
        if let pendingHeader {
            header = pendingHeader
        } else {
            do throws(IGTLError) {
                header = try IGTLHeader.parse(unread.range(0..<IGTLHeader.size))
                if header.bodySize > UInt64(max(0, options.maxBodySize)) {
                    throw IGTLError.bodyTooLarge(header.context, bodySize: header.bodySize, limit: options.maxBodySize)
                }
            } catch {
                poisoned = true
                throw error
            }
        }
        let length = IGTLHeader.size + Int(header.bodySize)
        guard unread.count >= length else {
            pendingHeader = header
            return nil
        }
        pendingHeader = nil
        let body = unread.range(IGTLHeader.size..<length)
        do {
            return (.message(try IGTLMessage(header: header, body: body, options: options)), length)
        } catch {
            return (.skipped(IGTLFrame(header: header, body: [UInt8](body)), error), length)
        }
    }
}
