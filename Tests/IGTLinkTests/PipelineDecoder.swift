import NIOCore
import NIOEmbedded
@testable import IGTLink

/// The production decoding path without sockets: `IGTLStreamDecoder` inside SwiftNIO's
/// `ByteToMessageHandler`, exactly as `IGTLConnectionHandler.install` puts it in every
/// client and server pipeline, on an `EmbeddedChannel`.
final class PipelineDecoder {
    let channel = EmbeddedChannel()
    let maximumBufferSize: Int

    init(options: IGTLDecodingOptions = .standard) throws {
        maximumBufferSize = options.maxBodySize + IGTLHeader.size + (1 << 20)
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(IGTLStreamDecoder(options: options),
                                                                            maximumBufferSize: maximumBufferSize))
    }

    /// Writes `bytes` into the pipeline and returns what came out.
    /// - Throws: the decoder's fatal `IGTLError` (as the pipeline's `errorCaught` sees it).
    func feed<C: Collection>(_ bytes: C) throws -> [IGTLDecodeResult] where C.Element == UInt8 {
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
        var out: [IGTLDecodeResult] = []
        while let r = try channel.readInbound(as: IGTLDecodeResult.self) { out.append(r) }
        return out
    }

    deinit { _ = try? channel.finish() }
}
