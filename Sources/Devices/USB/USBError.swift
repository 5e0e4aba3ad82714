import CLibUSB

/// A libusb failure, with a message that says what to do about it.
public enum USBError: Error, CustomStringConvertible, Sendable, Hashable {
    /// No USB bus to enumerate: no usbfs (containers, WSL, VMs without passthrough) or libusb_init failed.
    case noBus(reason: String)
    /// LIBUSB_ERROR_ACCESS: the device node is not writable by this user; `vendorId` names the device.
    case accessDenied(vendorId: UInt16?)
    /// LIBUSB_ERROR_NO_DEVICE: unplugged while being queried.
    case deviceGone
    /// LIBUSB_ERROR_BUSY: another program or kernel driver holds the device.
    case busy
    /// LIBUSB_ERROR_NOT_SUPPORTED: the platform or device does not support the operation.
    case notSupported
    /// LIBUSB_ERROR_TIMEOUT, LIBUSB_ERROR_IO, LIBUSB_ERROR_PIPE, LIBUSB_ERROR_OVERFLOW: the transfer failed.
    case transferFailed(name: String)
    /// LIBUSB_ERROR_NO_MEM.
    case noMemory
    /// Any other libusb status code.
    case other(code: Int32, name: String)

    /// Maps a negative libusb status code; `vendorId` is used to write the udev rule for access errors.
    public init(code: Int32, vendorId: UInt16? = nil) {
        switch code {
        case LIBUSB_ERROR_ACCESS.rawValue: self = .accessDenied(vendorId: vendorId)
        case LIBUSB_ERROR_NO_DEVICE.rawValue: self = .deviceGone
        case LIBUSB_ERROR_BUSY.rawValue: self = .busy
        case LIBUSB_ERROR_NOT_SUPPORTED.rawValue: self = .notSupported
        case LIBUSB_ERROR_NO_MEM.rawValue: self = .noMemory
        case LIBUSB_ERROR_TIMEOUT.rawValue, LIBUSB_ERROR_IO.rawValue, LIBUSB_ERROR_PIPE.rawValue,
             LIBUSB_ERROR_OVERFLOW.rawValue:
            self = .transferFailed(name: Self.name(of: code))
        default: self = .other(code: code, name: Self.name(of: code))
        }
    }

    public var description: String {
        switch self {
        case .noBus(let reason):
            return """
                No USB bus available: \(reason).
                This happens in containers (start them with --device /dev/bus/usb, or --privileged), under WSL \
                (attach the device with `usbipd attach --wsl --busid <BUSID>` from Windows) and in virtual \
                machines without USB passthrough.
                """
        case .accessDenied(let vendorId):
            return "Permission denied opening the USB device. " + Self.udevRuleAdvice(vendorIds: vendorId.map { [$0] } ?? [])
        case .deviceGone:
            return "The USB device was unplugged while it was being read; plug it back in and run again."
        case .busy:
            return "The USB device is held by another program (close PlusServer or the vendor tool) and try again."
        case .notSupported:
            return "This operation is not supported for the device on this platform (on Windows the device needs the WinUSB driver)."
        case .transferFailed(let name):
            return "USB transfer failed (\(name)); replug the device, try another port or cable, avoid unpowered hubs."
        case .noMemory:
            return "libusb ran out of memory."
        case .other(let code, let name):
            return "libusb error \(code) (\(name))."
        }
    }

    /// Short form for table cells and JSON.
    public var shortDescription: String {
        switch self {
        case .noBus: return "no USB bus"
        case .accessDenied: return "permission denied"
        case .deviceGone: return "device gone"
        case .busy: return "busy"
        case .notSupported: return "not supported"
        case .transferFailed(let name): return name
        case .noMemory: return "out of memory"
        case .other(_, let name): return name
        }
    }

    /// The udev rule line giving everyone read/write access to devices of `vendorId` (lower-case hex as in sysfs).
    public static func udevRule(vendorId: UInt16) -> String {
        "SUBSYSTEM==\"usb\", ATTR{idVendor}==\"\(USBDevice.hex(vendorId).lowercased())\", MODE=\"0666\""
    }

    /// Where Freehand suggests putting the rules.
    public static let udevRulesFile = "/etc/udev/rules.d/70-freehand-ultrasound.rules"

    /// Step-by-step instructions installing udev rules for `vendorIds`.
    public static func udevRuleAdvice(vendorIds: [UInt16]) -> String {
        var ids = [UInt16]()
        for id in vendorIds where !ids.contains(id) { ids.append(id) }
        let rules = ids.isEmpty
            ? ["SUBSYSTEM==\"usb\", ATTR{idVendor}==\"<vendor id>\", MODE=\"0666\""]
            : ids.map(udevRule(vendorId:))
        return """
            Add a udev rule so your user may open it:
              sudo tee -a \(udevRulesFile) <<'RULES'
            \(rules.joined(separator: "\n"))
            RULES
              sudo udevadm control --reload-rules && sudo udevadm trigger
            then unplug and replug the device.
            """
    }

    static func name(of code: Int32) -> String {
        String(cString: libusb_error_name(code))
    }
}
