import ArgumentParser
import Devices
import Foundation
import Synchronization

/// Set by SIGINT during `--watch`; read by the watch loop between libusb event waits.
private let devicesInterrupted = Atomic<Bool>(false)   // lock-free: safe to store from a signal handler

/// `freehand devices`: attached ultrasound hardware (frame grabbers, trackers, probes, UVC video) and
/// the PlusServer device type to use for each.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List attached USB hardware for tracked ultrasound and the PlusServer device type to use.",
        discussion: """
            Recognises Epiphan frame grabbers, NDI / Ascension / Atracsys trackers, Interson probes and any \
            USB Video Class device (table: KnownDevices.json in the Devices module). --watch prints devices \
            arriving and leaving (libusb hot-plug events, or polling once a second where unsupported).
            """)

    @Flag(name: .long, help: "Print JSON (one object; with --watch, one line per event).")
    var json = false

    @Flag(name: .long, help: "Also list USB devices unrelated to ultrasound (hubs, keyboards...).")
    var all = false

    @Flag(name: .long, help: "Keep running and print devices as they arrive or leave (Ctrl-C to stop).")
    var watch = false

    @Option(name: .customLong("watch-seconds"), help: "Watch for this many seconds, then exit (implies --watch).")
    var watchSeconds: Double?

    @Flag(name: .customLong("poll"), help: "With --watch: poll the device list instead of using hot-plug events.")
    var poll = false

    func validate() throws {
        if let watchSeconds, !(watchSeconds >= 0 && watchSeconds.isFinite) {
            throw ValidationError("--watch-seconds must be a non-negative number of seconds")
        }
    }

    func run() throws {
        let table = try KnownDeviceTable.bundled()  // a broken install fails here with the file and field named
        let inventory = DeviceInventory(table: table, includeAll: all)
        guard watch || watchSeconds != nil else {
            let result = inventory.scan()
            print(json ? DeviceReport.json(result) : DeviceReport.text(result, includeAll: all))
            return
        }
        try runWatch(inventory)
    }

    private func runWatch(_ inventory: DeviceInventory) throws {
        devicesInterrupted.store(false, ordering: .relaxed)
        signal(SIGINT) { _ in devicesInterrupted.store(true, ordering: .relaxed) }
        defer { signal(SIGINT, SIG_DFL) }
        let deadline = watchSeconds.map { Date().addingTimeInterval($0) }
        let json = self.json, all = self.all
        do {
            let mode = try inventory.watch(
                preferHotplug: !poll,
                initial: { present in
                    if json {
                        for detected in present {
                            print(DeviceReport.eventLine(nil, detected, json: true))
                        }
                    } else {
                        print(present.isEmpty
                              ? "No \(all ? "USB devices" : "tracked-ultrasound hardware") attached yet."
                              : DeviceReport.table(present))
                        if let note = DeviceReport.permissionNote(present) { print(note) }
                        print("Watching for devices arriving or leaving (Ctrl-C to stop)...")
                    }
                    fflush(nil)
                },
                onEvent: { event, detected in
                    print(DeviceReport.eventLine(event, detected, json: json))
                    if !json, case .arrived = event, let note = DeviceReport.permissionNote([detected]) { print(note) }
                    fflush(nil)
                },
                shouldStop: { devicesInterrupted.load(ordering: .relaxed) || deadline.map { Date() >= $0 } ?? false })
            if !json {
                let how = mode == .hotplug ? "hot-plug events" : "polling every second"
                FileHandle.standardError.write(Data("Stopped watching (\(how)\(all ? ", all devices" : "")).\n".utf8))
            }
        } catch let error as USBError {
            let result = DeviceScanResult(usbAvailable: false, message: error.description, hotplugSupported: false,
                                          devices: [], totalAttached: 0)
            print(json ? DeviceReport.json(result) : DeviceReport.text(result))
            if case .noBus = error { return }
            throw ExitCode.failure
        }
    }
}
