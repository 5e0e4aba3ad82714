import Geometry
import Testing
@testable import IGTLink

/// Hand-made malformed messages: each must give a typed error naming the type, device and
/// field, and the stream must survive (non-fatal) or refuse further use (fatal).
@Suite struct HostileInputTests {
    /// Decodes `bytes` followed by a valid STRING; returns the results and any fatal error.
    /// Runs both ways the decoder is driven (standalone `append`/`next`, and inside SwiftNIO's
    /// `ByteToMessageHandler` as in production) and expects the same outcome.
    static func decodeThenValid(_ bytes: [UInt8], options: IGTLDecodingOptions = .standard) -> (results: [IGTLDecodeResult], fatal: IGTLError?) {
        let after = try! IGTLMessage(deviceName: "After", body: .string(IGTLString("still alive"))).encoded()
        var decoder = IGTLStreamDecoder(options: options)
        decoder.append(bytes)
        decoder.append(after)
        var results: [IGTLDecodeResult] = []
        var fatal: IGTLError?
        do {
            while let r = try decoder.next() { results.append(r) }
        } catch {
            fatal = error
        }
        var piped: [IGTLDecodeResult] = []
        var pipedFatal: IGTLError?
        do {
            let pipeline = try PipelineDecoder(options: options)
            piped += try pipeline.feed(bytes)
            piped += try pipeline.feed(after)
        } catch let error as IGTLError {
            pipedFatal = error
        } catch {
            Issue.record("pipeline failed with \(error)")
        }
        #expect(piped == results, "the NIO pipeline decodes as the standalone decoder does")
        #expect(pipedFatal == fatal)
        return (results, fatal)
    }

    static func firstSkip(_ bytes: [UInt8], options: IGTLDecodingOptions = .standard) -> IGTLError? {
        let (results, fatal) = decodeThenValid(bytes, options: options)
        #expect(fatal == nil)
        // The valid message after the bad one must still arrive.
        guard case .message(let last)? = results.last else { Issue.record("stream did not survive"); return nil }
        #expect(last.deviceName == "After")
        for r in results { if case .skipped(_, let e) = r { return e } }
        return nil
    }

    /// Re-frames `body` under a fresh header (correct size and CRC).
    static func framed(_ type: String, _ device: String, _ body: [UInt8], version: UInt16 = 1, crc: Bool = true) -> [UInt8] {
        IGTLHeader(version: version, typeName: type, deviceNameBytes: Array(device.utf8), timestamp: .zero,
                   bodySize: UInt64(body.count), crc: crc ? IGTLCRC.compute(body) : 0).encoded() + body
    }

    @Test func badCRCIsSkipped() throws {
        var bytes = try IGTLMessage(deviceName: "Tracker", body: .transform(Samples.rotation)).encoded()
        bytes[60] ^= 0x40
        let error = Self.firstSkip(bytes)
        guard case .crcMismatch(let ctx, _, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(ctx == IGTLMessageContext(typeName: "TRANSFORM", deviceName: "Tracker"))
        #expect(error!.description.contains("TRANSFORM message from device \"Tracker\""))
        // With CRC checking off the corrupted transform is accepted as is.
        #expect(Self.firstSkip(bytes, options: IGTLDecodingOptions(verifyCRC: false)) == nil)
    }

    @Test func zeroCRCAcceptedUnlessRequired() throws {
        let bytes = try IGTLMessage(deviceName: "Plus", body: .status(.ok)).encoded(computeCRC: false)
        #expect(Self.firstSkip(bytes) == nil)
        guard case .missingCRC? = Self.firstSkip(bytes, options: IGTLDecodingOptions(requireCRC: true)) else { Issue.record("zero CRC accepted"); return }
    }

    @Test func truncatedFieldsNameTheField() throws {
        // A STRING whose length field promises more than the body holds.
        let s = Self.firstSkip(Self.framed("STRING", "Text", [0, 3, 0, 50] + Array("short".utf8)))
        #expect(s == .truncated(IGTLMessageContext(typeName: "STRING", deviceName: "Text"), field: "string text", needed: 50, available: 5))
        // An IMAGE with fewer pixel bytes than its size says.
        var image = try IGTLMessage(deviceName: "US", body: .image(Samples.imageBody())).frame()
        image.body.removeLast(10)
        guard case .truncated(_, "pixel data", _, _)? = Self.firstSkip(Self.framed("IMAGE", "US", image.body)) else { Issue.record("pixel truncation"); return }
        guard case .truncated(_, "image header", _, _)? = Self.firstSkip(Self.framed("IMAGE", "US", Array(image.body.prefix(30)))) else { Issue.record("header truncation"); return }
        guard case .invalidValue(_, "body size", _)? = Self.firstSkip(Self.framed("TRANSFORM", "T", [UInt8](repeating: 0, count: 47))) else { Issue.record("transform size"); return }
        guard case .invalidValue(_, "body size", _)? = Self.firstSkip(Self.framed("POSITION", "P", [UInt8](repeating: 0, count: 20))) else { Issue.record("position size"); return }
        guard case .invalidValue(_, "body size", _)? = Self.firstSkip(Self.framed("TDATA", "T", [UInt8](repeating: 0, count: 71))) else { Issue.record("tdata size"); return }
        let commandBody: [UInt8] = [0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0, 0, 0, 1] + [UInt8](repeating: 65, count: 20)
        guard case .truncated(_, "COMMAND_NAME", 128, 20)? = Self.firstSkip(Self.framed("COMMAND", "C", commandBody, version: 2)) else { Issue.record("command name"); return }
    }

    @Test func invalidImageFieldsAreRejected() throws {
        let good = try IGTLMessage(deviceName: "US", body: .image(Samples.imageBody())).frame().body
        func withByte(_ offset: Int, _ value: UInt8) -> [UInt8] { var b = good; b[offset] = value; return Self.framed("IMAGE", "US", b) }
        guard case .invalidValue(_, "scalar type", _)? = Self.firstSkip(withByte(3, 9)) else { Issue.record("scalar"); return }
        guard case .invalidValue(_, "endian", _)? = Self.firstSkip(withByte(4, 7)) else { Issue.record("endian"); return }
        guard case .invalidValue(_, "coordinate system", _)? = Self.firstSkip(withByte(5, 0)) else { Issue.record("coord"); return }
        guard case .invalidValue(_, "number of components", _)? = Self.firstSkip(withByte(2, 0)) else { Issue.record("components"); return }
        guard case .invalidValue(_, "sub-volume", _)? = Self.firstSkip(withByte(60, 0xFF)) else { Issue.record("sub-volume"); return }
    }

    @Test func absurdBodySizeIsFatalBeforeAllocation() {
        let header = IGTLHeader(version: 1, typeName: "IMAGE", deviceNameBytes: Array("Huge".utf8), timestamp: .zero,
                                bodySize: 1 << 62, crc: 0).encoded()
        var decoder = IGTLStreamDecoder()
        decoder.append(header)
        #expect(throws: IGTLError.bodyTooLarge(IGTLMessageContext(typeName: "IMAGE", deviceName: "Huge"), bodySize: 1 << 62, limit: 64 << 20)) {
            _ = try decoder.next()
        }
        #expect(decoder.bufferedByteCount == 0)
        #expect(throws: IGTLError.streamPoisoned) { _ = try decoder.next() }
        // In the pipeline the same error reaches errorCaught (which closes the connection).
        #expect(throws: IGTLError.bodyTooLarge(IGTLMessageContext(typeName: "IMAGE", deviceName: "Huge"), bodySize: 1 << 62, limit: 64 << 20)) {
            _ = try PipelineDecoder().feed(header)
        }
        // A configurable limit.
        var small = IGTLStreamDecoder(options: IGTLDecodingOptions(maxBodySize: 100))
        small.append(try! IGTLMessage(deviceName: "US", body: .image(Samples.imageBody())).encoded())
        #expect((try? small.next()) == nil)
    }

    @Test func garbageHeaderIsFatal() {
        var decoder = IGTLStreamDecoder()
        decoder.append([UInt8](repeating: 0x47, count: 58))  // "GGGG..." : version 0x4747
        #expect(throws: IGTLError.unsupportedHeaderVersion(0x4747)) { _ = try decoder.next() }
        var d2 = IGTLStreamDecoder()
        var h = IGTLHeader(version: 1, typeName: "X", deviceNameBytes: [], timestamp: .zero, bodySize: 0, crc: 0).encoded()
        h[2] = 0x01
        d2.append(h)
        #expect(throws: IGTLError.invalidTypeName([1] + [UInt8](repeating: 0, count: 11))) { _ = try d2.next() }
    }

    @Test func unknownTypesAreKeptRaw() throws {
        let (results, fatal) = Self.decodeThenValid(Self.framed("SENSOR", "Force", [1, 2, 3]))
        #expect(fatal == nil)
        guard case .message(let m)? = results.first else { Issue.record("no message"); return }
        #expect(m.body == .unknown(typeName: "SENSOR", content: [1, 2, 3]))
        #expect(try m.encoded() == Self.framed("SENSOR", "Force", [1, 2, 3]))
    }

    @Test func badUTF8IsRejectedWithField() {
        let ctx = IGTLMessageContext(typeName: "STRING", deviceName: "Text")
        #expect(Self.firstSkip(Self.framed("STRING", "Text", [0, 106, 0, 2, 0xC3, 0x28])) == .invalidText(ctx, field: "string text", encoding: 106))
        #expect(Self.firstSkip(Self.framed("STRING", "Text", [0, 3, 0, 1, 0xE9])) == .invalidText(ctx, field: "string text", encoding: 3))
        #expect(Self.firstSkip(Self.framed("STRING", "Text", [0, 99, 0, 1, 0x41])) == .invalidText(ctx, field: "string text", encoding: 99))
        // Latin-1 is decoded.
        #expect(Self.firstSkip(Self.framed("STRING", "Text", [0, 4, 0, 1, 0xE9])) == nil)
        var bytes = Self.framed("STATUS", "x", [UInt8](repeating: 0, count: 31))
        bytes[14] = 0xFF  // first DEVICE_NAME byte
        guard case .invalidText(_, "DEVICE_NAME", _)? = Self.firstSkip(bytes) else { Issue.record("device name"); return }
    }

    @Test func inconsistentMetadataSizes() throws {
        let frame = try IGTLMessage(deviceName: "Meta", body: .string(IGTLString("x")), headerVersion: 2, metadata: Samples.metadata).frame()
        func patched(_ offset: Int, _ bytes: [UInt8]) -> [UInt8] {
            var b = frame.body
            b.replaceSubrange(offset..<(offset + bytes.count), with: bytes)
            return Self.framed("STRING", "Meta", b, version: 2)
        }
        guard case .inconsistentMetadata(_, "META_HEADER_SIZE/META_SIZE", _)? = Self.firstSkip(patched(4, [0xFF, 0xFF, 0xFF, 0xFF])) else { Issue.record("meta size"); return }
        guard case .inconsistentMetadata(_, "EXT_HEADER_SIZE", _)? = Self.firstSkip(patched(0, [0, 4])) else { Issue.record("ext size"); return }
        guard case .inconsistentMetadata(_, "EXT_HEADER_SIZE", _)? = Self.firstSkip(patched(0, [0xFF, 0xFF])) else { Issue.record("ext too big"); return }
        // INDEX_COUNT larger than the metadata header, or sizes not adding up to META_SIZE.
        let metaHeaderStart = 12 + 4 + 1
        guard case .inconsistentMetadata(_, "INDEX_COUNT", _)? = Self.firstSkip(patched(metaHeaderStart, [0, 200])) else { Issue.record("index count"); return }
        guard case .inconsistentMetadata(_, "META_SIZE", _)? = Self.firstSkip(patched(metaHeaderStart, [0, 2])) else { Issue.record("sum"); return }
        // A truncated extended header.
        guard case .truncated(_, "MSG_ID", _, _)? = Self.firstSkip(Self.framed("STRING", "Meta", [0, 12, 0, 0, 0, 0, 0, 0], version: 2)) else { Issue.record("ext trunc"); return }
    }

    @Test func commandInHeaderVersion1IsRejected() throws {
        let body = try IGTLMessage(deviceName: "C", body: Samples.commandBodies[0], headerVersion: 2).frame().body
        let content = Array(body[12..<(body.count - 2)])
        #expect(Self.firstSkip(Self.framed("COMMAND", "C", content)) == .headerVersion2Required(IGTLMessageContext(typeName: "COMMAND", deviceName: "C")))
    }
}
