/// One row of the known-device table (`KnownDevices.json`): how to recognise a device and what to
/// configure in PlusServer for it.
public struct KnownDevice: Codable, Sendable, Equatable {
    /// USB vendor id; nil only for the generic UVC entry, which matches by interface class.
    public var vendorId: UInt16?
    /// USB product id; nil matches every product of `vendorId` (whole-vendor families, "*" in the file).
    public var productId: UInt16?
    /// Manufacturer name shown when the device's own string descriptor cannot be read (nil for the
    /// generic UVC entry, which covers many vendors).
    public var vendorName: String?
    /// Product name shown when the device's own string descriptor cannot be read.
    public var name: String
    /// Role of the device.
    public var category: DeviceCategory
    /// PlusServer `<Device Type="...">` to use (Linux / macOS, or everywhere when no Windows type is given).
    public var plusDeviceType: String
    /// PlusServer device type to use on Windows when it differs (e.g. `MmfVideo` for UVC video).
    public var plusDeviceTypeWindows: String?
    /// What the user should do next, typically a PlusServer config snippet.
    public var hint: String

    public init(vendorId: UInt16?, productId: UInt16?, vendorName: String?, name: String, category: DeviceCategory,
                plusDeviceType: String, plusDeviceTypeWindows: String? = nil, hint: String) {
        self.vendorId = vendorId
        self.productId = productId
        self.vendorName = vendorName
        self.name = name
        self.category = category
        self.plusDeviceType = plusDeviceType
        self.plusDeviceTypeWindows = plusDeviceTypeWindows
        self.hint = hint
    }

    /// The PlusServer device type for the platform this program runs on.
    public var plusDeviceTypeForThisPlatform: String {
        #if os(Windows)
        return plusDeviceTypeWindows ?? plusDeviceType
        #else
        return plusDeviceType
        #endif
    }

    /// Whether this is a whole-vendor family entry (product id wildcard).
    public var isVendorFamily: Bool { vendorId != nil && productId == nil }

    private enum CodingKeys: String, CodingKey {
        case vendorId, productId, vendorName, name, category, plusDeviceType, plusDeviceTypeWindows, hint
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vendorId = try Self.decodeHexID(c, .vendorId, wildcardAllowed: false)
        productId = try Self.decodeHexID(c, .productId, wildcardAllowed: true)
        vendorName = try c.decodeIfPresent(String.self, forKey: .vendorName)
        name = try c.decode(String.self, forKey: .name)
        category = try c.decode(DeviceCategory.self, forKey: .category)
        plusDeviceType = try c.decode(String.self, forKey: .plusDeviceType)
        plusDeviceTypeWindows = try c.decodeIfPresent(String.self, forKey: .plusDeviceTypeWindows)
        hint = try c.decode(String.self, forKey: .hint)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let vendorId { try c.encode(USBDevice.hex(vendorId), forKey: .vendorId) }
        if vendorId != nil { try c.encode(productId.map(USBDevice.hex) ?? "*", forKey: .productId) }
        try c.encodeIfPresent(vendorName, forKey: .vendorName)
        try c.encode(name, forKey: .name)
        try c.encode(category, forKey: .category)
        try c.encode(plusDeviceType, forKey: .plusDeviceType)
        try c.encodeIfPresent(plusDeviceTypeWindows, forKey: .plusDeviceTypeWindows)
        try c.encode(hint, forKey: .hint)
    }

    /// Ids are written as four hex digits ("5555", "DA70", optionally "0x"-prefixed); "*" is a wildcard.
    private static func decodeHexID(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys,
                                    wildcardAllowed: Bool) throws -> UInt16? {
        guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
        if text == "*" && wildcardAllowed { return nil }
        var digits = Substring(text)
        if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
        guard (1...4).contains(digits.count), let value = UInt16(digits, radix: 16) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c,
                debugDescription: "\"\(text)\" is not a 16-bit hex USB id\(wildcardAllowed ? " or \"*\"" : "")")
        }
        return value
    }
}
