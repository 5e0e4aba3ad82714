import Foundation

/// Finds the tracked-ultrasound hardware among attached USB devices: enumerates through `USBContext`,
/// matches against the `KnownDeviceTable`, and keeps unrelated devices out unless asked for all.
public struct DeviceInventory: Sendable {
    public var table: KnownDeviceTable
    /// List every device, not only known ones.
    public var includeAll: Bool
    /// usbfs folder required before enumerating (see `USBContext.init(usbfsPath:)`).
    public var usbfsPath: String?

    public init(table: KnownDeviceTable, includeAll: Bool = false,
                usbfsPath: String? = USBContext.defaultUSBFSPath) {
        self.table = table
        self.includeAll = includeAll
        self.usbfsPath = usbfsPath
    }

    /// Matches devices against the table; unrelated ones are dropped unless `includeAll`. Known devices
    /// come first (frame grabbers, trackers, probes, video), then by location.
    public func classify(_ devices: [USBDevice]) -> [DetectedDevice] {
        let order = Dictionary(uniqueKeysWithValues: DeviceCategory.allCases.enumerated().map { ($1, $0) })
        return devices
            .map { DetectedDevice(device: $0, known: table.match($0)) }
            .filter { includeAll || $0.isRelevant }
            .sorted { a, b in
                let ra = a.known.map { order[$0.category]! } ?? order.count
                let rb = b.known.map { order[$0.category]! } ?? order.count
                if ra != rb { return ra < rb }
                if a.device.bus != b.device.bus { return a.device.bus < b.device.bus }
                return a.device.ports.lexicographicallyPrecedes(b.device.ports)
            }
    }

    /// Whether a device is worth opening for its strings: everything listed.
    public func shouldOpen(_ device: USBDevice) -> Bool { includeAll || table.match(device) != nil }

    /// Enumerates the bus once. Never throws for a missing bus: the result says so instead.
    public func scan() -> DeviceScanResult {
        do {
            let context = try USBContext(usbfsPath: usbfsPath)
            let all = try context.devices(shouldOpen: shouldOpen)
            let listed = classify(all)
            return DeviceScanResult(usbAvailable: true, message: nil, hotplugSupported: context.supportsHotplug,
                                    devices: listed, totalAttached: all.count)
        } catch let error as USBError {
            return DeviceScanResult(usbAvailable: false, message: error.description, hotplugSupported: false,
                                    devices: [], totalAttached: 0)
        } catch {
            return DeviceScanResult(usbAvailable: false, message: "\(error)", hotplugSupported: false,
                                    devices: [], totalAttached: 0)
        }
    }

    /// Watches for relevant devices arriving and leaving (all devices with `includeAll`).
    /// - Parameters:
    ///   - initial: the relevant devices present when watching starts.
    ///   - onEvent: each relevant change as it happens.
    ///   - shouldStop: polled several times a second.
    /// - Throws: `USBError.noBus` when there is no USB bus to watch.
    @discardableResult
    public func watch(preferHotplug: Bool = true, pollInterval: TimeInterval = 1,
                      initial: ([DetectedDevice]) -> Void,
                      onEvent: (_ event: USBEvent, _ detected: DetectedDevice) -> Void,
                      shouldStop: () -> Bool) throws -> USBWatchMode {
        let context = try USBContext(usbfsPath: usbfsPath)
        return try context.watch(
            preferHotplug: preferHotplug, pollInterval: pollInterval, shouldOpen: shouldOpen,
            initial: { initial(classify($0)) },
            onEvent: { event in
                if let detected = classify([event.device]).first { onEvent(event, detected) }
            },
            shouldStop: shouldStop)
    }
}
