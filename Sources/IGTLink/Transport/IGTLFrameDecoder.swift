import NIOCore

/// SwiftNIO framing: turns the byte stream into `IGTLFrame`s with the same bounds as
/// `IGTLStreamDecoder` (header checked and BODY_SIZE limited before the body is buffered).
/// Fatal errors are thrown, which makes the pipeline fire `errorCaught` and close.
struct IGTLFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = IGTLFrame

    let options: IGTLDecodingOptions
    private var pendingHeader: IGTLHeader?

    init(options: IGTLDecodingOptions) {
        self.options = options
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if pendingHeader == nil {
            guard buffer.readableBytes >= IGTLHeader.size else { return .needMoreData }
            let header = try buffer.withUnsafeReadableBytes { raw in
                Result { () throws(IGTLError) in try IGTLHeader.parse(UnsafeRawBufferPointer(rebasing: raw[0..<IGTLHeader.size])) }
            }.get()
            try IGTLStreamDecoder.checkBodySize(header, options: options)
            buffer.moveReaderIndex(forwardBy: IGTLHeader.size)
            pendingHeader = header
        }
        guard let header = pendingHeader, buffer.readableBytes >= Int(header.bodySize),
              let body = buffer.readBytes(length: Int(header.bodySize)) else { return .needMoreData }
        pendingHeader = nil
        context.fireChannelRead(wrapInboundOut(IGTLFrame(header: header, body: body)))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
