import CLibUSB
import Foundation

/// The one owner of a libusb context. Every libusb call in Freehand goes through this type; device
/// pointers live only inside its methods, callers get `USBDevice` values.
public final class USBContext {
    /// Where Linux exposes USB device nodes; libusb needs it to enumerate anything.
    public static let linuxUSBFSPath = "/dev/bus/usb"

    private let context: OpaquePointer

    /// Opens a libusb context.
    /// - Parameter usbfsPath: device-node folder to require (Linux); a missing folder means no USB bus.
    /// - Throws: `USBError.noBus` when there is no bus to enumerate or libusb cannot start.
    public init(usbfsPath: String? = USBContext.defaultUSBFSPath) throws {
        if let usbfsPath, !FileManager.default.fileExists(atPath: usbfsPath) {
            throw USBError.noBus(reason: "\(usbfsPath) does not exist")
        }
        var context: OpaquePointer?
        let status = libusb_init(&context)
        guard status == 0, let context else {
            throw USBError.noBus(reason: "libusb_init failed with \(USBError.name(of: status))")
        }
        self.context = context
    }

    deinit { libusb_exit(context) }

    /// The usbfs folder to require by default: /dev/bus/usb on Linux, none elsewhere.
    public static var defaultUSBFSPath: String? {
        #if os(Linux)
        return linuxUSBFSPath
        #else
        return nil
        #endif
    }

    /// Whether libusb can deliver hot-plug events on this platform.
    public var supportsHotplug: Bool {
        libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0
    }

    /// libusb's version, e.g. "1.0.26".
    public static var libraryVersion: String {
        guard let v = libusb_get_version()?.pointee else { return "unknown" }
        return "\(v.major).\(v.minor).\(v.micro)"
    }

    /// Snapshots every attached device.
    /// - Parameter shouldOpen: called with the descriptor-only snapshot; devices for which it returns true
    ///   are opened (best-effort) to read their manufacturer, product and serial strings.
    public func devices(shouldOpen: (USBDevice) -> Bool = { _ in false }) throws -> [USBDevice] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        guard count >= 0, let list else { throw USBError(code: Int32(truncatingIfNeeded: count)) }
        defer { libusb_free_device_list(list, 1) }
        return (0..<Int(count)).compactMap { index in
            list[index].flatMap { describe($0, shouldOpen: shouldOpen) }
        }
    }

    /// Reports devices arriving and leaving until `shouldStop` returns true (checked several times a second).
    /// Uses hot-plug callbacks when libusb supports them, otherwise re-enumerates every `pollInterval` seconds.
    /// - Parameters:
    ///   - initial: receives the devices present once watching has started (no change is lost in between).
    ///   - onEvent: receives each change, in order.
    /// - Returns: the mode that was used.
    @discardableResult
    public func watch(preferHotplug: Bool = true, pollInterval: TimeInterval = 1,
                      shouldOpen: (USBDevice) -> Bool = { _ in false },
                      initial: ([USBDevice]) -> Void, onEvent: (USBEvent) -> Void,
                      shouldStop: () -> Bool) throws -> USBWatchMode {
        if preferHotplug && supportsHotplug {
            try watchHotplug(shouldOpen: shouldOpen, initial: initial, onEvent: onEvent, shouldStop: shouldStop)
            return .hotplug
        }
        try watchPolling(interval: pollInterval, shouldOpen: shouldOpen, initial: initial, onEvent: onEvent,
                         shouldStop: shouldStop)
        return .polling
    }

    // MARK: - Watching

    /// Devices handed over by the hot-plug callback (called on this thread, inside libusb_handle_events).
    private final class HotplugInbox {
        var pending: [(arrived: Bool, device: OpaquePointer)] = []
    }

    private func watchHotplug(shouldOpen: (USBDevice) -> Bool, initial: ([USBDevice]) -> Void,
                              onEvent: (USBEvent) -> Void, shouldStop: () -> Bool) throws {
        let inbox = HotplugInbox()
        let callback: libusb_hotplug_callback_fn = { _, device, event, userData in
            guard let device, let userData else { return 0 }
            let inbox = Unmanaged<HotplugInbox>.fromOpaque(userData).takeUnretainedValue()
            libusb_ref_device(device)
            inbox.pending.append((event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, device))
            return 0
        }
        var handle: libusb_hotplug_callback_handle = 0
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        let status = withExtendedLifetime(inbox) {
            libusb_hotplug_register_callback(context, events, 0, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                             LIBUSB_HOTPLUG_MATCH_ANY, callback,
                                             Unmanaged.passUnretained(inbox).toOpaque(), &handle)
        }
        guard status == 0 else { throw USBError(code: status) }
        defer {
            libusb_hotplug_deregister_callback(context, handle)
            for item in inbox.pending { libusb_unref_device(item.device) }
        }

        // Registered first, listed second: an arrival in between shows up twice and is dropped below.
        var present = [String: USBDevice]()
        let start = try devices(shouldOpen: shouldOpen)
        for device in start { present[Self.identity(device)] = device }
        initial(start)

        while !shouldStop() {
            var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
            let rc = withExtendedLifetime(inbox) { libusb_handle_events_timeout_completed(context, &timeout, nil) }
            if rc != 0 && rc != LIBUSB_ERROR_INTERRUPTED.rawValue { throw USBError(code: rc) }
            let batch = inbox.pending
            inbox.pending.removeAll()
            for item in batch {
                defer { libusb_unref_device(item.device) }
                if item.arrived {
                    guard let device = describe(item.device, shouldOpen: shouldOpen) else { continue }
                    let key = Self.identity(device)
                    if present[key] == nil {
                        present[key] = device
                        onEvent(.arrived(device))
                    }
                } else {
                    guard let gone = describe(item.device, shouldOpen: { _ in false }) else { continue }
                    // Prefer the snapshot taken while it was attached: it has the string descriptors.
                    onEvent(.left(present.removeValue(forKey: Self.identity(gone)) ?? gone))
                }
            }
        }
    }

    private func watchPolling(interval: TimeInterval, shouldOpen: (USBDevice) -> Bool,
                              initial: ([USBDevice]) -> Void, onEvent: (USBEvent) -> Void,
                              shouldStop: () -> Bool) throws {
        var present = [String: USBDevice]()
        var order = [String]()
        let start = try devices(shouldOpen: shouldOpen)
        for device in start { present[Self.identity(device)] = device; order.append(Self.identity(device)) }
        initial(start)
        let step = min(0.2, max(0.01, interval))
        var waited = 0.0
        while !shouldStop() {
            Thread.sleep(forTimeInterval: step)
            waited += step
            guard waited >= interval else { continue }
            waited = 0
            // Enumerate without opening; open only what is new.
            let now = try devices()
            let nowKeys = Set(now.map(Self.identity))
            for key in order where !nowKeys.contains(key) {
                if let device = present.removeValue(forKey: key) { onEvent(.left(device)) }
            }
            order.removeAll { !nowKeys.contains($0) }
            for device in now where present[Self.identity(device)] == nil {
                let key = Self.identity(device)
                let full = shouldOpen(device) ? (try? devices(shouldOpen: { Self.identity($0) == key })
                    .first { Self.identity($0) == key }) ?? device : device
                present[key] = full
                order.append(key)
                onEvent(.arrived(full))
            }
        }
    }

    /// Same bus, address and ids: the same connected device.
    private static func identity(_ device: USBDevice) -> String { "\(device.connectionKey):\(device.idString)" }

    // MARK: - Descriptors

    /// Reads one device's descriptors into a value; nil if even the device descriptor is unreadable.
    private func describe(_ device: OpaquePointer, shouldOpen: (USBDevice) -> Bool) -> USBDevice? {
        var descriptor = libusb_device_descriptor()
        guard libusb_get_device_descriptor(device, &descriptor) == 0 else { return nil }

        var portBuffer = [UInt8](repeating: 0, count: 8)
        let portCount = libusb_get_port_numbers(device, &portBuffer, Int32(portBuffer.count))
        var info = USBDevice(
            vendorId: descriptor.idVendor, productId: descriptor.idProduct,
            deviceClass: descriptor.bDeviceClass, deviceSubClass: descriptor.bDeviceSubClass,
            deviceProtocol: descriptor.bDeviceProtocol,
            bus: libusb_get_bus_number(device), ports: Array(portBuffer.prefix(max(0, Int(portCount)))),
            address: libusb_get_device_address(device))
        collectClasses(device, configurations: descriptor.bNumConfigurations, into: &info)

        if shouldOpen(info) {
            var handle: OpaquePointer?
            let status = libusb_open(device, &handle)
            if status == 0, let handle {
                defer { libusb_close(handle) }
                info.manufacturer = Self.string(handle, index: descriptor.iManufacturer)
                info.product = Self.string(handle, index: descriptor.iProduct)
                info.serialNumber = Self.string(handle, index: descriptor.iSerialNumber)
            } else {
                info.openError = USBError(code: status, vendorId: descriptor.idVendor)
            }
        }
        return info
    }

    /// Gathers interface classes and IAD function classes of every configuration (cached by the OS, so
    /// no device I/O and no permission needed).
    private func collectClasses(_ device: OpaquePointer, configurations: UInt8, into info: inout USBDevice) {
        for index in 0..<configurations {
            var config: UnsafeMutablePointer<libusb_config_descriptor>?
            guard libusb_get_config_descriptor(device, index, &config) == 0, let config else { continue }
            defer { libusb_free_config_descriptor(config) }
            Self.scanAssociations(config.pointee.extra, length: config.pointee.extra_length, into: &info.functionClasses)
            guard let interfaces = config.pointee.interface else { continue }
            for i in 0..<Int(config.pointee.bNumInterfaces) {
                let interface = interfaces[i]
                guard let settings = interface.altsetting else { continue }
                for s in 0..<Int(interface.num_altsetting) {
                    let setting = settings[s]
                    info.interfaceClasses.insert(setting.bInterfaceClass)
                    Self.scanAssociations(setting.extra, length: setting.extra_length, into: &info.functionClasses)
                    guard let endpoints = setting.endpoint else { continue }
                    for e in 0..<Int(setting.bNumEndpoints) {
                        // libusb files descriptors that follow an endpoint (such as the next IAD) under it.
                        Self.scanAssociations(endpoints[e].extra, length: endpoints[e].extra_length,
                                              into: &info.functionClasses)
                    }
                }
            }
        }
    }

    /// Picks `bFunctionClass` out of interface association descriptors (type 0x0B) in a run of raw descriptors.
    private static func scanAssociations(_ bytes: UnsafePointer<UInt8>?, length: Int32, into classes: inout Set<UInt8>) {
        guard let bytes, length > 0 else { return }
        let raw = UnsafeBufferPointer(start: bytes, count: Int(length))
        var offset = 0
        while offset + 2 <= raw.count {
            let size = Int(raw[offset])
            guard size >= 2, offset + size <= raw.count else { return }
            if raw[offset + 1] == 0x0B && size >= 8 { classes.insert(raw[offset + 4]) }
            offset += size
        }
    }

    /// A string descriptor as printable ASCII, or nil.
    private static func string(_ handle: OpaquePointer, index: UInt8) -> String? {
        guard index != 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = libusb_get_string_descriptor_ascii(handle, index, &buffer, Int32(buffer.count))
        guard length > 0 else { return nil }
        let text = String(decoding: buffer.prefix(Int(length)).map { (0x20...0x7E).contains($0) ? $0 : 0x3F },
                          as: UTF8.self).trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }
}
