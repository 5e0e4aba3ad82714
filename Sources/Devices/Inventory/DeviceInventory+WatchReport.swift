import Foundation

extension DeviceInventory {
    /// `freehand devices --watch`: watches for devices arriving and leaving and hands the lines
    /// to print to `emit` (the devices present first, then one line per event; JSON lines with
    /// `json`). Without a USB bus the no-bus report is emitted and nothing is thrown; other USB
    /// errors are emitted the same way and rethrown. Returns the closing note (stderr material),
    /// nil when there is none.
    public func watchReporting(json: Bool, preferHotplug: Bool, emit: (String) -> Void,
                               shouldStop: () -> Bool) throws -> String? {
        let all = includeAll
        do {
            let mode = try watch(
                preferHotplug: preferHotplug,
                initial: { present in
                    if json {
                        for detected in present { emit(DeviceReport.eventLine(nil, detected, json: true)) }
                        return
                    }
                    emit(present.isEmpty ? "No \(all ? "USB devices" : "tracked-ultrasound hardware") attached yet." : DeviceReport.table(present))
                    if let note = DeviceReport.permissionNote(present) { emit(note) }
                    emit("Watching for devices arriving or leaving (Ctrl-C to stop)...")
                },
                onEvent: { event, detected in
                    emit(DeviceReport.eventLine(event, detected, json: json))
                    if !json, case .arrived = event, let note = DeviceReport.permissionNote([detected]) { emit(note) }
                },
                shouldStop: shouldStop)
            guard !json else { return nil }
            return "Stopped watching (\(mode == .hotplug ? "hot-plug events" : "polling every second")\(all ? ", all devices" : ""))."
        } catch let error as USBError {
            let result = DeviceScanResult(usbAvailable: false, message: error.description, hotplugSupported: false,
                                          devices: [], totalAttached: 0)
            emit(json ? DeviceReport.json(result) : DeviceReport.text(result))
            if case .noBus = error { return nil }
            throw error
        }
    }
}
