import Foundation

/// The table of ultrasound-relevant USB hardware, loaded from the bundled `KnownDevices.json`, and the
/// rules that match an attached device against it.
public struct KnownDeviceTable: Codable, Sendable, Equatable {
    /// Entries matched by vendor id and product id (or the whole vendor when the product is a wildcard).
    public var devices: [KnownDevice]
    /// Entry used for any other device exposing a USB Video Class interface.
    public var genericVideo: KnownDevice

    public init(devices: [KnownDevice], genericVideo: KnownDevice) {
        self.devices = devices
        self.genericVideo = genericVideo
    }

    /// The table shipped with Freehand (`Sources/Devices/KnownDevices.json`).
    public static func bundled() throws -> KnownDeviceTable {
        guard let url = Bundle.module.url(forResource: "KnownDevices", withExtension: "json") else {
            throw KnownDeviceTableError.missing(path: Bundle.module.bundlePath + "/KnownDevices.json")
        }
        return try load(from: url)
    }

    /// Reads and validates a table file.
    public static func load(from url: URL) throws -> KnownDeviceTable {
        let data: Data
        do { data = try Data(contentsOf: url) } catch { throw KnownDeviceTableError.missing(path: url.path) }
        return try decode(data, source: url.path)
    }

    /// Decodes and validates table JSON; `source` names the file in errors.
    public static func decode(_ data: Data, source: String) throws -> KnownDeviceTable {
        let table: KnownDeviceTable
        do {
            table = try JSONDecoder().decode(KnownDeviceTable.self, from: data)
        } catch let error as DecodingError {
            throw KnownDeviceTableError.malformed(path: source, detail: KnownDeviceTableError.describe(error))
        } catch {
            throw KnownDeviceTableError.malformed(path: source, detail: "\(error)")
        }
        try table.validate(source: source)
        return table
    }

    /// Checks the invariants the matcher relies on: every entry has a vendor id and a PlusServer device
    /// type, the generic entry has neither id, and no (vendor, product) pair appears twice.
    public func validate(source: String) throws {
        var seen = Set<String>()
        for (index, entry) in devices.enumerated() {
            let field = "devices[\(index)]"
            guard let vendor = entry.vendorId else {
                throw KnownDeviceTableError.invalidEntry(path: source, field: "\(field).vendorId", reason: "missing")
            }
            if entry.plusDeviceType.trimmingCharacters(in: .whitespaces).isEmpty {
                throw KnownDeviceTableError.invalidEntry(path: source, field: "\(field).plusDeviceType", reason: "empty")
            }
            let key = USBDevice.hex(vendor) + ":" + (entry.productId.map(USBDevice.hex) ?? "*")
            if !seen.insert(key).inserted {
                throw KnownDeviceTableError.invalidEntry(path: source, field: field, reason: "duplicate id \(key)")
            }
        }
        if genericVideo.vendorId != nil || genericVideo.productId != nil {
            throw KnownDeviceTableError.invalidEntry(path: source, field: "genericVideo",
                                                     reason: "matches by video class, so it takes no vendorId/productId")
        }
        if genericVideo.plusDeviceType.trimmingCharacters(in: .whitespaces).isEmpty {
            throw KnownDeviceTableError.invalidEntry(path: source, field: "genericVideo.plusDeviceType", reason: "empty")
        }
    }

    /// The entry describing `device`: an exact vendor/product entry first, then a whole-vendor family,
    /// then the generic UVC entry when the device has a video interface; nil for unrelated hardware.
    public func match(_ device: USBDevice) -> KnownDevice? {
        if let exact = devices.first(where: { $0.vendorId == device.vendorId && $0.productId == device.productId }) {
            return exact
        }
        if let family = devices.first(where: { $0.isVendorFamily && $0.vendorId == device.vendorId }) {
            return family
        }
        return device.isVideoClass ? genericVideo : nil
    }
}
