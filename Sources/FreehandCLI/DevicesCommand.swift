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
        do {
            let note = try inventory.watchReporting(json: json, preferHotplug: !poll, emit: { print($0); fflush(nil) },
                                                    shouldStop: { devicesInterrupted.load(ordering: .relaxed) || deadline.map { Date() >= $0 } ?? false })
            if let note { FileHandle.standardError.write(Data((note + "\n").utf8)) }
        } catch is USBError {
            throw ExitCode.failure
        }
    }
}
