import Geometry
import Testing
@testable import IGTLink

/// A TRANSFORM, TDATA, POSITION or IMAGE whose matrix, position or quaternion holds NaN or
/// infinity is dropped at decode with `IGTLError.nonFinite` naming type, device and field;
/// the stream goes on (checked standalone and through the NIO pipeline by `firstSkip`).
@Suite struct NonFiniteTests {
    static let poisons: [(String, Float)] = [("NaN", .nan), ("+inf", .infinity), ("-inf", -.infinity)]

    /// `message` encoded in `version` with the big-endian float at `floatOffset` (bytes into the
    /// content, after any v2 extended header) replaced by `value`, re-framed with a valid CRC.
    static func poisoned(_ message: IGTLMessage, version: UInt16, floatOffset: Int, _ value: Float) throws -> [UInt8] {
        var body = try message.frame(headerVersion: version).body
        let at = (version == 2 ? 12 : 0) + floatOffset
        let bits = value.bitPattern
        for k in 0..<4 { body[at + k] = UInt8(truncatingIfNeeded: bits >> (24 - 8 * UInt32(k))) }
        return HostileInputTests.framed(message.typeName, message.deviceName, body, version: version)
    }

    static func expectRejected(_ message: IGTLMessage, floatOffsets: [Int], field: String) throws {
        let ctx = IGTLMessageContext(typeName: message.typeName, deviceName: message.deviceName)
        for version: UInt16 in [1, 2] {
            for offset in floatOffsets {
                for (name, value) in poisons {
                    let error = HostileInputTests.firstSkip(try poisoned(message, version: version, floatOffset: offset, value))
                    #expect(error == .nonFinite(ctx, field: field), "\(message.typeName) v\(version), float at \(offset) = \(name)")
                    #expect(error?.isNonFinite == true && error?.isFatal == false)
                    #expect(error?.description.contains("\(message.typeName) message from device \"\(message.deviceName)\": field \(field) holds NaN or infinity") == true)
                }
            }
        }
    }

    @Test func transform() throws {
        let m = IGTLMessage(deviceName: "ProbeToTracker", body: .transform(Samples.rotation))
        try Self.expectRejected(m, floatOffsets: [0, 16, 36, 44], field: "matrix")
    }

    @Test func trackingData() throws {
        let m = IGTLMessage(deviceName: "Tracker", body: .trackingData([
            IGTLTrackingElement(name: "Probe", transform: Samples.rotation),
            IGTLTrackingElement(name: "Stylus", transform: .identity)]))
        // Element: name 20, type 1, reserved 1, then 12 floats; the second element starts at 70.
        try Self.expectRejected(m, floatOffsets: [22, 22 + 44], field: "matrix of tool \"Probe\"")
        try Self.expectRejected(m, floatOffsets: [70 + 22 + 20], field: "matrix of tool \"Stylus\"")
    }

    @Test func position() throws {
        let m = IGTLMessage(deviceName: "Stylus", body: .position(IGTLPosition(position: SIMD3(1, 2, 3), quaternion: SIMD4(0, 0, 0.6, 0.8))))
        try Self.expectRejected(m, floatOffsets: [0, 8], field: "position")
        try Self.expectRejected(m, floatOffsets: [12, 24], field: "quaternion")
        let short = IGTLMessage(deviceName: "Stylus", body: .position(IGTLPosition(position: SIMD3(1, 2, 3), quaternion: SIMD4(0, 0.6, 0, 0.8), layout: .quaternion3)))
        try Self.expectRejected(short, floatOffsets: [20], field: "quaternion")
    }

    @Test func image() throws {
        let m = IGTLMessage(deviceName: "Image_Reference", body: .image(Samples.imageBody()))
        // IMAGE header: 12 bytes (version, components, scalar, endian, coordinate, size), then 12 matrix floats.
        try Self.expectRejected(m, floatOffsets: [12, 12 + 16, 12 + 44], field: "matrix")
    }

    @Test func finiteMessagesStillDecode() throws {
        // The checks reject only non-finite values: huge but finite ones decode.
        let t = Transform3D(linear: [1, 0, 0, 0, 1, 0, 0, 0, 1], translation: SIMD3(Double(Float.greatestFiniteMagnitude), 0, 0))
        let (results, fatal) = HostileInputTests.decodeThenValid(try IGTLMessage(deviceName: "Far", body: .transform(t)).encoded())
        #expect(fatal == nil && results.count == 2)
        guard case .message(let m)? = results.first else { Issue.record("not decoded"); return }
        #expect(m.body == .transform(t))
    }
}
