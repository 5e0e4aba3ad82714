import Testing
@testable import Devices

@Suite struct USBErrorTests {
    @Test func libusbCodesMapToCases() {
        // Values of enum libusb_error in libusb.h.
        #expect(USBError(code: -3, vendorId: 0x5555) == .accessDenied(vendorId: 0x5555))
        #expect(USBError(code: -4) == .deviceGone)
        #expect(USBError(code: -6) == .busy)
        #expect(USBError(code: -12) == .notSupported)
        #expect(USBError(code: -11) == .noMemory)
        #expect(USBError(code: -7) == .transferFailed(name: "LIBUSB_ERROR_TIMEOUT"))
        #expect(USBError(code: -1) == .transferFailed(name: "LIBUSB_ERROR_IO"))
        #expect(USBError(code: -99) == .other(code: -99, name: "LIBUSB_ERROR_OTHER"))
    }

    @Test func accessDeniedGivesTheUdevRule() {
        let text = USBError.accessDenied(vendorId: 0x21E2).description
        #expect(text.contains(#"SUBSYSTEM=="usb", ATTR{idVendor}=="21e2", MODE="0666""#))
        #expect(text.contains("/etc/udev/rules.d/"))
        #expect(text.contains("sudo udevadm control --reload-rules && sudo udevadm trigger"))
    }

    @Test func udevAdviceListsEachVendorOnce() {
        let text = USBError.udevRuleAdvice(vendorIds: [0x5555, 0x0403, 0x5555])
        #expect(text.components(separatedBy: "ATTR{idVendor}").count == 3)
        #expect(text.contains(#"=="0403""#) && text.contains(#"=="5555""#))
    }

    @Test func noBusExplainsContainersAndWSL() {
        let text = USBError.noBus(reason: "/dev/bus/usb does not exist").description
        #expect(text.hasPrefix("No USB bus available: /dev/bus/usb does not exist."))
        #expect(text.contains("--device /dev/bus/usb") && text.contains("usbipd"))
    }
}
