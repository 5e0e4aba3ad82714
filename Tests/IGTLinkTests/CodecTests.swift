import Foundation
import Geometry
import Imaging
import Testing
@testable import IGTLink

@Suite struct CodecTests {
    @Test func crcCheckValue() {
        #expect(IGTLCRC.compute(Array("123456789".utf8)) == 0x6C40_DF5F_0B49_7347)
        #expect(IGTLCRC.compute([UInt8]()) == 0)
    }

    @Test func headerLayoutIsBigEndian58Bytes() throws {
        let header = IGTLHeader(version: 1, typeName: "TRANSFORM", deviceNameBytes: Array("Tracker".utf8),
                                timestamp: IGTLTimestamp(rawValue: 0x0102_0304_0506_0708), bodySize: 48, crc: 0xAABB)
        let bytes = header.encoded()
        #expect(bytes.count == 58)
        #expect(Array(bytes[0..<2]) == [0, 1])
        #expect(Array(bytes[2..<11]) == Array("TRANSFORM".utf8))
        #expect(bytes[11...13].allSatisfy { $0 == 0 })
        #expect(Array(bytes[34..<42]) == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(Array(bytes[42..<50]) == [0, 0, 0, 0, 0, 0, 0, 48])
        #expect(Array(bytes[56..<58]) == [0xAA, 0xBB])
        #expect(try IGTLHeader.parse(bytes) == header)
    }

    @Test func roundTripEveryTypeV1AndV2() throws {
        for message in Samples.messages {
            let bytes = try message.encoded()
            var decoder = IGTLStreamDecoder()
            decoder.append(bytes)
            guard case .message(let decoded)? = try decoder.next() else {
                Issue.record("\(message.typeName) v\(message.headerVersion) did not decode")
                continue
            }
            var expected = message
            if message.headerVersion == 1 { expected.metadata = []; expected.messageID = 0 }
            #expect(decoded == expected, "\(message.typeName) v\(message.headerVersion)")
            #expect(try decoded.encoded() == bytes, "\(message.typeName) v\(message.headerVersion) re-encodes identically")
            #expect(decoder.bufferedByteCount == 0)
        }
    }

    @Test func commandNeedsHeaderVersion2() {
        for body in Samples.commandBodies {
            let m = IGTLMessage(deviceName: "x", body: body, headerVersion: 1)
            #expect(throws: IGTLError.headerVersion2Required(m.context)) { try m.encoded() }
        }
    }

    @Test func transformWireOrderIsColumnMajor() throws {
        let t = Transform3D(linear: [1, 2, 3, 4, 5, 6, 7, 8, 9], translation: SIMD3(10, 11, 12))
        let frame = try IGTLMessage(deviceName: "T", body: .transform(t)).frame()
        var floats: [Float] = []
        for i in 0..<12 {
            let b = frame.body[(i * 4)..<(i * 4 + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            floats.append(Float(bitPattern: b))
        }
        #expect(floats == [1, 4, 7, 2, 5, 8, 3, 6, 9, 10, 11, 12])
    }

    @Test func imageGeometryUsesCentre() throws {
        // 3x2x1 image, spacing 0.5 x 2, identity directions, centre (10, 20, 30).
        let body = IGTLImage(scalarType: .uint8, size: SIMD3(3, 2, 1),
                             matrix: [0.5, 0, 0, 0, 2, 0, 0, 0, 1, 10, 20, 30], pixels: [1, 2, 3, 4, 5, 6])
        #expect(body.origin == SIMD3(10 - 0.5, 20 - 1, 30))
        #expect(body.spacing == SIMD3(0.5, 2, 1))
        let (image, toRef) = try body.image()
        #expect(image.width == 3 && image.height == 2 && image[2, 1] == 6)
        #expect(toRef.apply(SIMD3(1, 0.5, 0)) == SIMD3(10, 20, 30))
        var copy = body
        copy.imageToReference = toRef
        #expect(copy.matrix == body.matrix)
    }

    @Test func imageFromFrameRoundTrips() throws {
        let img = Samples.gradientImage(width: 640, height: 480)
        let toRef = Samples.rotation * Transform3D.scaling(SIMD3(0.2, 0.2, 1))
        let message = IGTLMessage(deviceName: "Image_Reference", body: .image(IGTLImage(image: img, imageToReference: toRef)))
        var decoder = IGTLStreamDecoder()
        decoder.append(try message.encoded())
        guard case .message(let m)? = try decoder.next(), case .image(let body) = m.body else {
            Issue.record("no image"); return
        }
        let (back, backToRef) = try body.image()
        #expect(back == img)
        #expect(backToRef.maxDifference(to: toRef) < 1e-4)
        // Pixels are copied once from the wire: the 2-D frame shares the message's pixel storage.
        #expect(back.bytes.withUnsafeBufferPointer { $0.baseAddress } == body.pixels.withUnsafeBufferPointer { $0.baseAddress })
    }

    @Test func bigEndianPixelsAreSwappedAndMislabelledOnesDetected() throws {
        var body = Samples.imageBody(width: 64, height: 16)
        body.endianness = .big
        var decoder = IGTLStreamDecoder()
        let bytes = try IGTLMessage(deviceName: "US", body: .image(body)).encoded()
        decoder.append(bytes)
        guard case .message(let m)? = try decoder.next(), case .image(let back) = m.body else { Issue.record("no image"); return }
        #expect(back.pixels == body.pixels && back.endianness == .big && !back.endiannessCorrected)

        // A sender that writes little-endian pixels but leaves E = 1 (big).
        var mislabelled = bytes
        let eOffset = 58 + 4
        #expect(mislabelled[eOffset] == 1)
        let pixelStart = 58 + 72
        var little = Array(mislabelled[pixelStart...])
        little.swapByteOrder(scalarWidth: 2)
        mislabelled.replaceSubrange(pixelStart..., with: little)
        let header = try IGTLHeader.parse(mislabelled)
        let fixed = IGTLHeader(version: 1, typeName: "IMAGE", deviceNameBytes: header.deviceNameBytes, timestamp: header.timestamp,
                               bodySize: header.bodySize, crc: IGTLCRC.compute(mislabelled[58...]))
        mislabelled.replaceSubrange(0..<58, with: fixed.encoded())
        decoder.append(mislabelled)
        guard case .message(let m2)? = try decoder.next(), case .image(let corrected) = m2.body else { Issue.record("no image"); return }
        #expect(corrected.endiannessCorrected && corrected.endianness == .little)
        #expect(corrected.pixels == body.pixels)

        var strict = IGTLStreamDecoder(options: IGTLDecodingOptions(correctMislabelledEndianness: false))
        strict.append(mislabelled)
        guard case .message(let m3)? = try strict.next(), case .image(let raw) = m3.body else { Issue.record("no image"); return }
        #expect(!raw.endiannessCorrected && raw.pixels != body.pixels)
    }

    @Test func incrementalFeedingByteByByte() throws {
        let stream = try Samples.messages.flatMap { try $0.encoded() }
        var decoder = IGTLStreamDecoder()
        var count = 0
        for byte in stream {
            decoder.append(CollectionOfOne(byte))
            while let result = try decoder.next() {
                if case .message = result { count += 1 }
            }
        }
        #expect(count == Samples.messages.count)
    }

    @Test func fullDeviceNameFromMetadata() {
        var m = IGTLMessage(deviceName: "ProbeToTrackerTransf", body: .transform(.identity), headerVersion: 2)
        #expect(m.fullDeviceName == "ProbeToTrackerTransf")
        m.metadata = [IGTLMetadataItem(key: "IGTL_DEVICE_NAME", value: "ProbeToTrackerTransform")]
        #expect(m.fullDeviceName == "ProbeToTrackerTransform")
    }

    @Test func timestampFixedPoint() {
        let t = IGTLTimestamp(secondsSince1970: 1_700_000_000.5)
        #expect(t.seconds == 1_700_000_000 && t.fraction == 1 << 31)
        #expect(abs(IGTLTimestamp.now.secondsSince1970 - Double(time(nil))) < 2)
    }
}
