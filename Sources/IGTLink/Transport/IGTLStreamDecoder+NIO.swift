import NIOCore

/// The stream decoder in a SwiftNIO pipeline (`ByteToMessageHandler(IGTLStreamDecoder(...))`):
/// each step is `decode(unread:)` over the channel's buffer, read in place. Fatal errors are
/// thrown, which makes the pipeline fire `errorCaught` and close.
extension IGTLStreamDecoder: ByteToMessageDecoder {
    public typealias InboundOut = IGTLDecodeResult

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let step = try buffer.withUnsafeReadableBytes({ raw in try self.decode(unread: raw) }) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: step.length)
        context.fireChannelRead(wrapInboundOut(step.result))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
