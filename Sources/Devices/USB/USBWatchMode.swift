/// How device changes are observed.
public enum USBWatchMode: String, Sendable, Codable {
    /// libusb hot-plug callbacks (LIBUSB_CAP_HAS_HOTPLUG): events arrive as the kernel reports them.
    case hotplug
    /// Re-enumerating the bus periodically and diffing the device lists.
    case polling
}
