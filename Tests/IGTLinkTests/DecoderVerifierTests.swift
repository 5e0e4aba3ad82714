import NIOCore
import NIOTestUtils
import Testing
@testable import IGTLink

/// swift-nio's `ByteToMessageDecoderVerifier` against the production decoder: real IMAGE,
/// TRANSFORM, STATUS and COMMAND messages in header versions 1 and 2, plus a message skipped
/// for a bad CRC and one for a NaN matrix, fed whole, byte by byte, several per buffer and
/// in random splits; every output must equal what the message decodes to.
@Suite struct DecoderVerifierTests {
    static func pair(_ bytes: [UInt8], _ expected: IGTLDecodeResult) -> (ByteBuffer, [IGTLDecodeResult]) {
        (ByteBufferAllocator().buffer(bytes: bytes), [expected])
    }

    /// What `message` decodes to after a trip in `version` (v1 carries no metadata or id).
    static func decoded(_ message: IGTLMessage, version: UInt16) -> IGTLMessage {
        var m = message
        m.headerVersion = version
        if version == 1 { m.metadata = []; m.messageID = 0 }
        return m
    }

    static var pairs: [(ByteBuffer, [IGTLDecodeResult])] {
        get throws {
            let t = Samples.timestamp
            var messages = [
                IGTLMessage(deviceName: "Image_Reference", timestamp: t, body: .image(Samples.imageBody(width: 64, height: 48))),
                IGTLMessage(deviceName: "ProbeToTracker", timestamp: t, body: .transform(Samples.rotation)),
                IGTLMessage(deviceName: "", timestamp: t, body: .status(.ok)),
                IGTLMessage(deviceName: "Probe", timestamp: t, body: .status(IGTLStatus(code: IGTLStatus.Code.notReady, subcode: -3, errorName: "NotReady", message: "warming up"))),
            ]
            for i in messages.indices { messages[i].metadata = Samples.metadata; messages[i].messageID = UInt32(40 + i) }
            var out: [(ByteBuffer, [IGTLDecodeResult])] = []
            for version: UInt16 in [1, 2] {
                for m in messages {
                    out.append(pair(try m.encoded(headerVersion: version), .message(decoded(m, version: version))))
                }
            }
            for body in Samples.commandBodies {  // COMMAND and RTS_COMMAND exist in version 2 only
                let m = IGTLMessage(deviceName: "CMD", timestamp: t, body: body, headerVersion: 2, messageID: 9, metadata: Samples.metadata)
                out.append(pair(try m.encoded(), .message(m)))
            }
            // Skipped messages are outputs too: a bad CRC and a NaN matrix.
            var badCRC = try messages[1].frame(headerVersion: 1)
            badCRC.body[5] ^= 0x10
            let crcError = IGTLError.crcMismatch(badCRC.header.context, header: badCRC.header.crc, computed: IGTLCRC.compute(badCRC.body))
            out.append(pair(badCRC.bytes, .skipped(badCRC, crcError)))
            let nan = try NonFiniteTests.poisoned(messages[1], version: 2, floatOffset: 4, .nan)
            let nanFrame = IGTLFrame(header: try IGTLHeader.parse(nan), body: Array(nan[IGTLHeader.size...]))
            out.append(pair(nan, .skipped(nanFrame, .nonFinite(nanFrame.header.context, field: "matrix"))))
            return out
        }
    }

    @Test func verifierAcceptsTheStreamDecoder() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: try Self.pairs) { IGTLStreamDecoder() }
    }
}
