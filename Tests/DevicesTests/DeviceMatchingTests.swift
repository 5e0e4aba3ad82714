import Testing
@testable import Devices

/// Matching and listing rules on fabricated descriptors.
@Suite struct DeviceMatchingTests {
    static let generic = KnownDevice(vendorId: nil, productId: nil, vendorName: nil, name: "UVC video",
                                     category: .video, plusDeviceType: "OpenCVVideo",
                                     plusDeviceTypeWindows: "MmfVideo", hint: "Type=\"OpenCVVideo\"")
    static let table = KnownDeviceTable(devices: [
        KnownDevice(vendorId: 0x5555, productId: nil, vendorName: "Epiphan", name: "Epiphan family",
                    category: .frameGrabber, plusDeviceType: "Epiphan", hint: "Type=\"Epiphan\""),
        KnownDevice(vendorId: 0x5555, productId: 0x3340, vendorName: "Epiphan", name: "DVI2USB 3.0",
                    category: .frameGrabber, plusDeviceType: "Epiphan", hint: "Type=\"Epiphan\""),
        KnownDevice(vendorId: 0x0403, productId: 0xDA74, vendorName: "NDI", name: "Aurora SCU",
                    category: .tracker, plusDeviceType: "AuroraTracker", hint: "Type=\"AuroraTracker\""),
    ], genericVideo: generic)

    @Test func exactProductBeatsVendorFamily() {
        #expect(Self.table.match(USBDevice(vendorId: 0x5555, productId: 0x3340))?.name == "DVI2USB 3.0")
        #expect(Self.table.match(USBDevice(vendorId: 0x5555, productId: 0x2000))?.name == "Epiphan family")
    }

    @Test func productIdOnlyMatchesItsVendor() {
        #expect(Self.table.match(USBDevice(vendorId: 0x0403, productId: 0xDA74))?.plusDeviceType == "AuroraTracker")
        #expect(Self.table.match(USBDevice(vendorId: 0x0403, productId: 0xDA70)) == nil)
        #expect(Self.table.match(USBDevice(vendorId: 0x1234, productId: 0xDA74)) == nil)
    }

    @Test func knownVendorBeatsVideoClass() {
        // Epiphan DVI2USB 3.0 also exposes UVC interfaces; its own entry must win.
        let grabber = USBDevice(vendorId: 0x5555, productId: 0x3340, interfaceClasses: [0x0E])
        #expect(Self.table.match(grabber)?.plusDeviceType == "Epiphan")
    }

    @Test func videoClassOnTheDevice() {
        let camera = USBDevice(vendorId: 0x046D, productId: 0x0825, deviceClass: 0x0E)
        #expect(camera.isVideoClass)
        #expect(Self.table.match(camera) == Self.generic)
    }

    @Test func videoClassOnAnInterface() {
        let grabber = USBDevice(vendorId: 0x2B77, productId: 0x3001, interfaceClasses: [0x01, 0x0E])
        #expect(grabber.isVideoClass)
        #expect(Self.table.match(grabber)?.category == .video)
    }

    @Test func videoFunctionOfAnIADDevice() {
        let iad = USBDevice(vendorId: 0x0C45, productId: 0x6366, deviceClass: 0xEF, deviceSubClass: 0x02,
                            deviceProtocol: 0x01, interfaceClasses: [0x01], functionClasses: [0x0E])
        #expect(iad.isVideoClass)
        // An IAD without the IAD device class triple, or an IAD for audio only, is not video.
        var notIAD = iad
        notIAD.deviceClass = 0
        #expect(!notIAD.isVideoClass)
        var audio = iad
        audio.functionClasses = [0x01]
        #expect(!audio.isVideoClass)
        #expect(Self.table.match(audio) == nil)
    }

    @Test func unknownDevicesAreListedOnlyWithAll() {
        let mouse = USBDevice(vendorId: 0x046D, productId: 0xC52B, interfaceClasses: [0x03], bus: 1, ports: [4])
        let hub = USBDevice(vendorId: 0x1D6B, productId: 0x0002, deviceClass: 0x09, bus: 1, ports: [])
        let aurora = USBDevice(vendorId: 0x0403, productId: 0xDA74, bus: 2, ports: [1, 3])
        let camera = USBDevice(vendorId: 0x046D, productId: 0x0825, interfaceClasses: [0x0E], bus: 1, ports: [2])
        let grabber = USBDevice(vendorId: 0x5555, productId: 0x3340, bus: 3, ports: [1])
        let devices = [mouse, hub, aurora, camera, grabber]

        let relevant = DeviceInventory(table: Self.table).classify(devices)
        #expect(relevant.map(\.device) == [grabber, aurora, camera])  // frame grabbers, trackers, video

        let all = DeviceInventory(table: Self.table, includeAll: true).classify(devices)
        #expect(all.map(\.device) == [grabber, aurora, camera, hub, mouse])
        #expect(all[3].known == nil && all[3].displayName == "unknown hub device")
        #expect(all[4].displayName == "unknown HID device")
        #expect(all[4].plusDeviceType == nil)
    }

    @Test func namesPreferTheDevicesOwnStrings() {
        var grabber = USBDevice(vendorId: 0x5555, productId: 0x3340)
        #expect(DetectedDevice(device: grabber, known: Self.table.match(grabber)).fullName == "DVI2USB 3.0")
        grabber.manufacturer = "Epiphan Systems Inc."
        grabber.product = "DVI2USB 3.0 D2S123456"
        let named = DetectedDevice(device: grabber, known: Self.table.match(grabber))
        #expect(named.fullName == "Epiphan Systems Inc. DVI2USB 3.0 D2S123456")
        #expect(named.vendorName == "Epiphan Systems Inc.")
    }

    @Test func locationAndIdsFollowLinuxNaming() {
        let device = USBDevice(vendorId: 0x0403, productId: 0xDA70, bus: 3, ports: [1, 4, 2])
        #expect(device.location == "3-1.4.2")
        #expect(device.idString == "0403:da70")
        #expect(USBDevice(vendorId: 0x1D6B, productId: 2, bus: 2, ports: []).location == "usb2")
        #expect(USBDevice.hex(0x21E2) == "21E2" && USBDevice.hex(0x1) == "0001")
    }
}
