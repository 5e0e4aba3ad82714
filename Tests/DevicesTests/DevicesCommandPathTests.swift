import Foundation
import Testing
@testable import Devices

/// The path `freehand devices` takes, on this machine and on one without a USB bus.
@Suite struct DevicesCommandPathTests {
    static let table = try! KnownDeviceTable.bundled()

    @Test func missingUSBFSIsNoBusNotACrash() throws {
        #expect(throws: USBError.noBus(reason: "/nonexistent/bus/usb does not exist")) {
            try USBContext(usbfsPath: "/nonexistent/bus/usb")
        }
        let result = DeviceInventory(table: Self.table, usbfsPath: "/nonexistent/bus/usb").scan()
        #expect(!result.usbAvailable && result.devices.isEmpty)
        #expect(DeviceReport.text(result).hasPrefix("No USB bus available: /nonexistent/bus/usb does not exist."))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(DeviceReport.json(result).utf8)) as? [String: Any])
        #expect(json["usbAvailable"] as? Bool == false)
        #expect((json["message"] as? String)?.contains("No USB bus available") == true)
        #expect((json["devices"] as? [Any])?.isEmpty == true)
    }

    @Test func watchWithoutABusThrowsNoBus() {
        var events = 0
        #expect(throws: USBError.self) {
            try DeviceInventory(table: Self.table, usbfsPath: "/nonexistent/bus/usb")
                .watch(initial: { _ in events += 1 }, onEvent: { _, _ in events += 1 }, shouldStop: { true })
        }
        #expect(events == 0)
    }

    /// On this machine: a real scan through libusb must finish with either a device list or the no-bus message.
    @Test func scanOnThisMachineEndsCleanly() throws {
        let result = DeviceInventory(table: Self.table).scan()
        let hasBus = FileManager.default.fileExists(atPath: USBContext.linuxUSBFSPath)
        #if os(Linux)
        #expect(result.usbAvailable == hasBus)
        #endif
        let text = DeviceReport.text(result)
        if result.usbAvailable {
            #expect(!text.contains("No USB bus available"))
        } else {
            #expect(text.contains("No USB bus available"))
        }
        _ = try JSONSerialization.jsonObject(with: Data(DeviceReport.json(result).utf8))
    }

    /// libusb itself (no usbfs pre-check) must not crash without a bus: it fails to start or lists devices.
    @Test func libusbWithoutThePreCheck() {
        do {
            let context = try USBContext(usbfsPath: nil)
            _ = try context.devices()
            _ = context.supportsHotplug
        } catch let error as USBError {
            if case .noBus = error {} else { Issue.record("unexpected \(error)") }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func watchStopsAndReportsTheMode() throws {
        guard FileManager.default.fileExists(atPath: USBContext.linuxUSBFSPath) else { return }
        var initialCalls = 0
        let mode = try DeviceInventory(table: Self.table)
            .watch(preferHotplug: false, initial: { _ in initialCalls += 1 }, onEvent: { _, _ in }, shouldStop: { true })
        #expect(mode == .polling && initialCalls == 1)
    }

    @Test func reportShowsTableHintsAndPermissionAdvice() {
        let grabber = USBDevice(vendorId: 0x5555, productId: 0x3340, bus: 1, ports: [2],
                                openError: .accessDenied(vendorId: 0x5555))
        let camera = USBDevice(vendorId: 0x046D, productId: 0x0825, interfaceClasses: [0x0E], bus: 1, ports: [3],
                               manufacturer: "Logitech", product: "HD Webcam C270", serialNumber: "ABC123")
        let listed = DeviceInventory(table: Self.table).classify([grabber, camera])
        let result = DeviceScanResult(usbAvailable: true, message: nil, hotplugSupported: true, devices: listed,
                                      totalAttached: 4)
        let text = DeviceReport.text(result)
        let lines = text.components(separatedBy: "\n")
        #expect(lines[0].hasPrefix("LOCATION") && lines[0].hasSuffix("PLUSSERVER TYPE"))
        #expect(lines[1].hasPrefix("1-2 ") && lines[1].contains("5555:3340") && lines[1].hasSuffix("Epiphan"))
        #expect(lines[2].contains("Logitech HD Webcam C270") && lines[2].hasSuffix("OpenCVVideo"))
        #expect(text.contains("serial ABC123"))
        #expect(text.contains(#"Type="OpenCVVideo""#) && text.contains(#"Type="MmfVideo""#))
        #expect(text.contains(#"ATTR{idVendor}=="5555""#))

        let empty = DeviceScanResult(usbAvailable: true, message: nil, hotplugSupported: true, devices: [],
                                     totalAttached: 3)
        #expect(DeviceReport.text(empty).contains("3 other USB devices attached; --all lists them"))
    }

    @Test func watchEventLines() throws {
        let aurora = USBDevice(vendorId: 0x0403, productId: 0xDA74, bus: 2, ports: [1])
        let detected = try #require(DeviceInventory(table: Self.table).classify([aurora]).first)
        let line = DeviceReport.eventLine(.left(aurora), detected, json: false)
        #expect(line.contains("left") && line.contains("2-1") && line.contains(#"Type="AuroraTracker""#))
        let json = DeviceReport.eventLine(nil, detected, json: true)
        #expect(!json.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["event"] as? String == "present")
        #expect((object["device"] as? [String: Any])?["plusDeviceType"] as? String == "AuroraTracker")
    }
}
