import Foundation
import Testing
@testable import Devices

/// Runs the built `freehand devices` binary against a fabricated USB bus: umockdev (LD_PRELOAD) serves
/// sysfs and /dev/bus/usb from descriptors written here, and the real libusb enumerates them. Enabled
/// where `umockdev-run` is installed (apt install umockdev) and the executable has been built.
@Suite struct UMockdevEndToEndTests {
    static let umockdevRun = "/usr/bin/umockdev-run"
    /// `freehand` sits beside the test bundle in the build folder.
    static let freehand: URL = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("freehand")
    static let available = FileManager.default.isExecutableFile(atPath: umockdevRun)
        && FileManager.default.isExecutableFile(atPath: freehand.path)

    // MARK: Descriptor bytes

    static func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
    static func deviceDescriptor(_ vid: UInt16, _ pid: UInt16, cls: UInt8 = 0, sub: UInt8 = 0, proto: UInt8 = 0) -> [UInt8] {
        [18, 1] + le16(0x0200) + [cls, sub, proto, 64] + le16(vid) + le16(pid) + le16(0x0100) + [0, 0, 0, 1]
    }
    static func interface(_ number: UInt8, _ cls: UInt8, _ sub: UInt8 = 0, endpoints: UInt8 = 0) -> [UInt8] {
        [9, 4, number, 0, endpoints, cls, sub, 0, 0]
    }
    static func endpoint(_ address: UInt8) -> [UInt8] { [7, 5, address, 2] + le16(512) + [0] }
    static func association(_ first: UInt8, _ count: UInt8, _ cls: UInt8) -> [UInt8] { [8, 0x0B, first, count, cls, 3, 0, 0] }
    static func configuration(_ body: [UInt8], interfaces: UInt8) -> [UInt8] {
        [9, 2] + le16(UInt16(9 + body.count)) + [interfaces, 1, 0, 0x80, 250] + body
    }

    static func record(path: String, bus: Int, address: Int, vid: UInt16, pid: UInt16, descriptors: [UInt8]) -> String {
        let node = String(format: "bus/usb/%03d/%03d", bus, address)
        return """
            P: \(path)
            N: \(node)
            E: DEVNAME=/dev/\(node)
            E: DEVTYPE=usb_device
            E: DRIVER=usb
            E: SUBSYSTEM=usb
            E: BUSNUM=\(String(format: "%03d", bus))
            E: DEVNUM=\(String(format: "%03d", address))
            A: busnum=\(bus)
            A: devnum=\(address)
            A: idVendor=\(USBDevice.hex(vid).lowercased())
            A: idProduct=\(USBDevice.hex(pid).lowercased())
            A: bConfigurationValue=1
            A: speed=480
            H: descriptors=\(descriptors.map { String(format: "%02x", $0) }.joined())


            """
    }

    /// Root hub, Epiphan grabber at 1-1, NDI Aurora SCU at 1-2, IAD webcam at 1-3.1 (behind a hub at 1-3), mouse at 1-4.
    static var bus: String {
        let root = "/devices/pci0000:00/0000:00:14.0/usb1"
        let uvc = association(0, 2, 0x0E) + interface(0, 0x0E, 1, endpoints: 1) + endpoint(0x83) + interface(1, 0x0E, 2)
            + association(2, 2, 0x01) + interface(2, 0x01, 1) + interface(3, 0x01, 2)
        return [
            record(path: root, bus: 1, address: 1, vid: 0x1D6B, pid: 0x0002,
                   descriptors: deviceDescriptor(0x1D6B, 2, cls: 9) + configuration(interface(0, 9, endpoints: 1) + endpoint(0x81), interfaces: 1)),
            record(path: root + "/1-1", bus: 1, address: 2, vid: 0x5555, pid: 0x3340,
                   descriptors: deviceDescriptor(0x5555, 0x3340) + configuration(interface(0, 0xFF, endpoints: 1) + endpoint(0x81), interfaces: 1)),
            record(path: root + "/1-2", bus: 1, address: 3, vid: 0x0403, pid: 0xDA74,
                   descriptors: deviceDescriptor(0x0403, 0xDA74) + configuration(interface(0, 0xFF, 0xFF, endpoints: 2) + endpoint(0x81) + endpoint(0x02), interfaces: 1)),
            record(path: root + "/1-3", bus: 1, address: 4, vid: 0x05E3, pid: 0x0610,
                   descriptors: deviceDescriptor(0x05E3, 0x0610, cls: 9) + configuration(interface(0, 9, endpoints: 1) + endpoint(0x81), interfaces: 1)),
            record(path: root + "/1-3/1-3.1", bus: 1, address: 5, vid: 0x046D, pid: 0x0825,
                   descriptors: deviceDescriptor(0x046D, 0x0825, cls: 0xEF, sub: 2, proto: 1) + configuration(uvc, interfaces: 4)),
            record(path: root + "/1-4", bus: 1, address: 6, vid: 0x046D, pid: 0xC52B,
                   descriptors: deviceDescriptor(0x046D, 0xC52B) + configuration(interface(0, 3, 1, endpoints: 1) + endpoint(0x81), interfaces: 1)),
        ].joined()
    }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("freehand-umockdev-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let description = folder.appendingPathComponent("bus.umockdev")
        try bus.write(to: description, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: umockdevRun)
        process.arguments = ["--device", description.path, "--", freehand.path, "devices"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test(.enabled(if: available, "needs umockdev-run and the built freehand executable"))
    func listsKnownDevicesFromARealLibusbEnumeration() throws {
        let (status, output) = try Self.run(["--json"])
        #expect(status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any], "\(output)")
        #expect(json["usbAvailable"] as? Bool == true)
        #expect(json["totalAttached"] as? Int == 6)
        let devices = try #require(json["devices"] as? [[String: Any]])
        #expect(devices.map { $0["location"] as? String } == ["1-1", "1-2", "1-3.1"])
        #expect(devices.map { $0["plusDeviceType"] as? String } == ["Epiphan", "AuroraTracker", "OpenCVVideo"])
        #expect(devices.map { $0["category"] as? String } == ["frameGrabber", "tracker", "video"])
        #expect(devices[2]["isVideoClass"] as? Bool == true)
    }

    @Test(.enabled(if: available, "needs umockdev-run and the built freehand executable"))
    func allListsUnrelatedDevicesAndWatchEnds() throws {
        let (status, output) = try Self.run(["--all"])
        #expect(status == 0)
        #expect(output.contains("unknown hub device") && output.contains("unknown HID device"), "\(output)")
        #expect(output.contains("1-3.1") && output.contains("AuroraTracker"))

        let watched = try Self.run(["--watch-seconds", "0.5", "--json"])
        #expect(watched.status == 0)
        let lines = watched.output.split(separator: "\n")
        #expect(lines.count == 3, "\(watched.output)")
        #expect(lines.allSatisfy { $0.contains(#""event":"present""#) })
    }
}
