/// An attached device together with the table entry it matched (nil for unrelated hardware, which is
/// listed only with `--all`).
public struct DetectedDevice: Sendable, Equatable {
    public var device: USBDevice
    public var known: KnownDevice?

    public init(device: USBDevice, known: KnownDevice?) {
        self.device = device
        self.known = known
    }

    /// Whether the device is tracked-ultrasound hardware.
    public var isRelevant: Bool { known != nil }

    /// The device's own product string, else the table's name, else "unknown <class> device".
    public var displayName: String {
        if let product = device.product { return product }
        if let known { return known.name }
        return "unknown \(device.classDescription) device"
    }

    /// Vendor and product for one-line output, without repeating the vendor when the name has it.
    public var fullName: String {
        guard let vendor = vendorName, !displayName.localizedCaseInsensitiveContains(vendor) else { return displayName }
        return device.product == nil && known != nil ? displayName : "\(vendor) \(displayName)"
    }

    /// The device's own manufacturer string, else the table's vendor name.
    public var vendorName: String? { device.manufacturer ?? known?.vendorName }

    /// The PlusServer device type for this platform, or nil for unrelated hardware.
    public var plusDeviceType: String? { known?.plusDeviceTypeForThisPlatform }
}

extension DetectedDevice: Encodable {
    private enum CodingKeys: String, CodingKey {
        case location, bus, ports, address, vendorId, productId, vendorName, productName, manufacturer, product,
             serialNumber, category, plusDeviceType, plusDeviceTypeWindows, hint, usbClass, isVideoClass, openError,
             advice
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(device.location, forKey: .location)
        try c.encode(device.bus, forKey: .bus)
        try c.encode(device.ports, forKey: .ports)
        try c.encode(device.address, forKey: .address)
        try c.encode(USBDevice.hex(device.vendorId), forKey: .vendorId)
        try c.encode(USBDevice.hex(device.productId), forKey: .productId)
        try c.encodeIfPresent(vendorName, forKey: .vendorName)
        try c.encode(displayName, forKey: .productName)
        try c.encodeIfPresent(device.manufacturer, forKey: .manufacturer)
        try c.encodeIfPresent(device.product, forKey: .product)
        try c.encodeIfPresent(device.serialNumber, forKey: .serialNumber)
        try c.encodeIfPresent(known?.category, forKey: .category)
        try c.encodeIfPresent(known?.plusDeviceType, forKey: .plusDeviceType)
        try c.encodeIfPresent(known?.plusDeviceTypeWindows, forKey: .plusDeviceTypeWindows)
        try c.encodeIfPresent(known?.hint, forKey: .hint)
        try c.encode(device.deviceClass, forKey: .usbClass)
        try c.encode(device.isVideoClass, forKey: .isVideoClass)
        try c.encodeIfPresent(device.openError?.shortDescription, forKey: .openError)
        try c.encodeIfPresent(device.openError.map { $0.description }, forKey: .advice)
    }
}
