import Geometry
import Imaging
@testable import IGTLink

/// Valid sample messages of every type, shared by the codec, fuzz and transport tests.
enum Samples {
    static let timestamp = IGTLTimestamp(secondsSince1970: 1_700_000_000.25)

    static let rotation: Transform3D = {
        var t = Transform3D.rotation(axis: SIMD3(0.2, 0.5, 1), angle: 0.7)
        t.translation = SIMD3(10.5, -20.25, 30.125)
        // Round through Float so wire round trips are exact.
        return Transform3D(rowMajor: t.elements.map { Double(Float($0)) })
    }()

    /// A smooth 16-bit test image (values vary slowly so byte order is detectable).
    static func gradientImage(width: Int, height: Int, scalarType: ScalarType = .uint16) -> Image {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(width * height * scalarType.byteCount)
        for y in 0..<height {
            for x in 0..<width {
                let v = 1000 + 3 * x + 5 * y
                switch scalarType {
                case .uint8, .int8: bytes.append(UInt8(truncatingIfNeeded: (x + y) / 4))
                case .uint16, .int16: withUnsafeBytes(of: UInt16(v).littleEndian) { bytes += $0 }
                case .uint32, .int32: withUnsafeBytes(of: UInt32(v * 1000).littleEndian) { bytes += $0 }
                case .float32: withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 }
                case .float64: withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes += $0 }
                }
            }
        }
        return Image(width: width, height: height, components: 1, scalarType: scalarType, bytes: bytes)
    }

    static func imageBody(width: Int = 32, height: Int = 24, scalarType: ScalarType = .uint16) -> IGTLImage {
        let toRef = Samples.rotation * Transform3D.scaling(SIMD3(0.25, 0.25, 1))
        return IGTLImage(image: gradientImage(width: width, height: height, scalarType: scalarType),
                         imageToReference: toRef, coordinateSystem: .ras)
    }

    /// One message of each type.
    static var bodies: [IGTLBody] {
        var volume = IGTLImage(components: 3, scalarType: .uint8, size: SIMD3(8, 6, 4),
                               matrix: [1, 0, 0, 0, 1, 0, 0, 0, 2, 5, 6, 7], coordinateSystem: .lps,
                               subvolumeOffset: SIMD3(2, 1, 1), subvolumeSize: SIMD3(4, 3, 2),
                               pixels: (0..<(4 * 3 * 2 * 3)).map { UInt8($0) })
        volume.endianness = .big
        return [
            .image(imageBody()),
            .image(volume),
            .image(imageBody(width: 5, height: 7, scalarType: .float64)),
            .transform(rotation),
            .position(IGTLPosition(position: SIMD3(1, 2, 3), quaternion: SIMD4(0, 0, 0.6, 0.8), layout: .full)),
            .position(IGTLPosition(position: SIMD3(1, 2, 3), quaternion: SIMD4(0, 0.6, 0, 0.8), layout: .quaternion3)),
            .position(IGTLPosition(position: SIMD3(-1, 2.5, 3), layout: .positionOnly)),
            .trackingData([IGTLTrackingElement(name: "Probe", transform: rotation),
                           IGTLTrackingElement(name: "Stylus", type: 3, transform: .identity)]),
            .status(IGTLStatus(code: IGTLStatus.Code.notReady, subcode: -42, errorName: "NotReady", message: "warming up")),
            .status(.ok),
            .string(IGTLString("<Command Name=\"RequestChannelIds\"/>")),
            .string(IGTLString("Grüße 👋")),
            .query(IGTLQuery(kind: .get, dataType: "TRANSFORM")),
            .query(IGTLQuery(kind: .start, dataType: "TDATA", content: [0, 0, 0, 50] + [UInt8](repeating: 0, count: 32))),
            .query(IGTLQuery(kind: .stop, dataType: "TDATA")),
            .unknown(typeName: "NDARRAY", content: [1, 2, 3, 4, 5]),
        ]
    }

    static var commandBodies: [IGTLBody] {
        [.command(IGTLCommand(commandID: 7, name: "StartRecording", text: "<Command Name=\"StartRecording\" OutputFilename=\"a.mha\"/>")),
         .commandReply(IGTLCommand(commandID: 7, name: "StartRecording", text: "<CommandReply Status=\"SUCCESS\" Message=\"ok\"/>"))]
    }

    static let metadata = [IGTLMetadataItem(key: "IGTL_DEVICE_NAME", value: "ProbeToTrackerTransform"),
                           IGTLMetadataItem(key: "Status", value: "OK"),
                           IGTLMetadataItem(key: "Kommentar", value: "äöü")]

    /// Every sample as a message, in header version 1 and 2 (COMMAND types only in 2).
    static var messages: [IGTLMessage] {
        var out: [IGTLMessage] = []
        for (i, body) in bodies.enumerated() {
            out.append(IGTLMessage(deviceName: "Dev\(i)", timestamp: timestamp, body: body))
            out.append(IGTLMessage(deviceName: "Device_\(i)_v2", timestamp: timestamp, body: body, headerVersion: 2,
                                   messageID: UInt32(100 + i), metadata: metadata))
        }
        for (i, body) in commandBodies.enumerated() {
            out.append(IGTLMessage(deviceName: "Cmd\(i)", timestamp: timestamp, body: body, headerVersion: 2, messageID: 9))
        }
        return out
    }
}
