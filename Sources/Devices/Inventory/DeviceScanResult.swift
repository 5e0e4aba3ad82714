/// The outcome of one enumeration, as printed by `freehand devices` (and its `--json`).
public struct DeviceScanResult: Sendable, Equatable, Encodable {
    /// False when there is no USB bus to enumerate; `message` says why and what to do.
    public var usbAvailable: Bool
    public var message: String?
    /// Whether `--watch` can use hot-plug events (otherwise it polls).
    public var hotplugSupported: Bool
    /// Listed devices (relevant ones, or all with `--all`).
    public var devices: [DetectedDevice]
    /// Every device on the bus, listed or not (hubs, keyboards...).
    public var totalAttached: Int

    public init(usbAvailable: Bool, message: String?, hotplugSupported: Bool, devices: [DetectedDevice],
                totalAttached: Int) {
        self.usbAvailable = usbAvailable
        self.message = message
        self.hotplugSupported = hotplugSupported
        self.devices = devices
        self.totalAttached = totalAttached
    }
}
