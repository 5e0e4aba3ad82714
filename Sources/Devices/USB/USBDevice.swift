/// A snapshot of one attached USB device: ids, class codes gathered from its descriptors, where it is
/// plugged in, and its string descriptors when they could be read. Plain value, no libusb pointers.
public struct USBDevice: Sendable, Equatable, Hashable {
    /// USB class code of video interfaces (UVC).
    public static let videoClass: UInt8 = 0x0E
    /// Device class "miscellaneous" used, with subclass 0x02 / protocol 0x01, by devices whose functions
    /// are described by interface association descriptors (IAD), as most UVC devices do.
    public static let miscellaneousClass: UInt8 = 0xEF

    public var vendorId: UInt16
    public var productId: UInt16
    /// `bDeviceClass` / `bDeviceSubClass` / `bDeviceProtocol` of the device descriptor.
    public var deviceClass: UInt8
    public var deviceSubClass: UInt8
    public var deviceProtocol: UInt8
    /// `bInterfaceClass` of every alternate setting of every interface of every configuration.
    public var interfaceClasses: Set<UInt8>
    /// `bFunctionClass` of every interface association descriptor.
    public var functionClasses: Set<UInt8>
    /// Bus number and port chain from the root hub (Linux sysfs naming: bus 1, ports [2, 3] is "1-2.3").
    public var bus: UInt8
    public var ports: [UInt8]
    /// Device address on its bus (unique among connected devices of that bus).
    public var address: UInt8
    /// String descriptors; nil when absent or when the device could not be opened.
    public var manufacturer: String?
    public var product: String?
    public var serialNumber: String?
    /// Why the string descriptors are missing, when opening the device failed.
    public var openError: USBError?

    public init(vendorId: UInt16, productId: UInt16, deviceClass: UInt8 = 0, deviceSubClass: UInt8 = 0,
                deviceProtocol: UInt8 = 0, interfaceClasses: Set<UInt8> = [], functionClasses: Set<UInt8> = [],
                bus: UInt8 = 1, ports: [UInt8] = [1], address: UInt8 = 1, manufacturer: String? = nil,
                product: String? = nil, serialNumber: String? = nil, openError: USBError? = nil) {
        self.vendorId = vendorId
        self.productId = productId
        self.deviceClass = deviceClass
        self.deviceSubClass = deviceSubClass
        self.deviceProtocol = deviceProtocol
        self.interfaceClasses = interfaceClasses
        self.functionClasses = functionClasses
        self.bus = bus
        self.ports = ports
        self.address = address
        self.manufacturer = manufacturer
        self.product = product
        self.serialNumber = serialNumber
        self.openError = openError
    }

    /// Whether the device carries USB Video Class: video as device class, as the class of any interface,
    /// or as the function class of an IAD on an IAD-style (0xEF/0x02/0x01) device.
    public var isVideoClass: Bool {
        if deviceClass == Self.videoClass || interfaceClasses.contains(Self.videoClass) { return true }
        let usesIAD = deviceClass == Self.miscellaneousClass && deviceSubClass == 0x02 && deviceProtocol == 0x01
        return usesIAD && functionClasses.contains(Self.videoClass)
    }

    /// Where the device is plugged in, "bus-port.port..." as in /sys/bus/usb/devices (root hubs: "usbN").
    public var location: String {
        ports.isEmpty ? "usb\(bus)" : "\(bus)-" + ports.map(String.init).joined(separator: ".")
    }

    /// Common name of the device's class (from the device descriptor, or its interfaces when the device
    /// class is "defined per interface"), for listing devices Freehand does not know.
    public var classDescription: String {
        let names: [UInt8: String] = [0x01: "audio", 0x02: "communications", 0x03: "HID", 0x06: "imaging",
                                      0x07: "printer", 0x08: "mass-storage", 0x09: "hub", 0x0A: "CDC data",
                                      0x0B: "smart-card", 0x0E: "video", 0xE0: "wireless", 0xFF: "vendor-specific"]
        if let name = names[deviceClass] { return name }
        let fromInterfaces = interfaceClasses.sorted().compactMap { names[$0] }
        return fromInterfaces.isEmpty ? "USB" : fromInterfaces.joined(separator: "/")
    }

    /// "vvvv:pppp" in lower-case hex, as lsusb prints it.
    public var idString: String { "\(Self.hex(vendorId)):\(Self.hex(productId))".lowercased() }

    /// Identity while connected: the same bus and address means the same device.
    public var connectionKey: String { "\(bus):\(address)" }

    /// Four upper-case hex digits, e.g. `5555`, `DA70`.
    public static func hex(_ value: UInt16) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
