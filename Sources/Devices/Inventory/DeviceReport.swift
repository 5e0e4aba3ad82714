import Foundation

/// Text and JSON renderings of scans and watch events for `freehand devices`.
public enum DeviceReport {
    /// Human-readable report: a table, then what to do next for each device.
    public static func text(_ result: DeviceScanResult, includeAll: Bool = false) -> String {
        guard result.usbAvailable else { return result.message ?? "No USB bus available." }
        guard !result.devices.isEmpty else {
            let others = result.totalAttached
            return includeAll || others == 0
                ? "No USB devices attached."
                : "No tracked-ultrasound hardware found (\(others) other USB device\(others == 1 ? "" : "s") attached; --all lists them)."
        }
        var lines = [table(result.devices)]
        let withHints = result.devices.filter { $0.known != nil }
        if !withHints.isEmpty {
            lines.append("")
            lines.append("Next steps (PlusServer device set):")
            for detected in withHints {
                guard let known = detected.known else { continue }
                let serial = detected.device.serialNumber.map { ", serial \($0)" } ?? ""
                lines.append("  \(detected.device.location) \(detected.displayName)\(serial):")
                lines.append("    " + known.hint)
            }
        }
        if let note = permissionNote(result.devices) {
            lines.append("")
            lines.append(note)
        }
        return lines.joined(separator: "\n")
    }

    /// Advice for listed known devices that could not be opened (permission denied), with the udev rule
    /// for their vendors; nil when there are none.
    public static func permissionNote(_ devices: [DetectedDevice]) -> String? {
        let denied = devices.compactMap { d -> UInt16? in
            if case .accessDenied = d.device.openError, d.isRelevant { return d.device.vendorId }
            return nil
        }
        guard !denied.isEmpty else { return nil }
        let one = denied.count == 1
        return "\(denied.count) device\(one ? "" : "s") could not be opened to read \(one ? "its" : "their") name "
            + "(permission denied); the name\(one ? "" : "s") shown come\(one ? "s" : "") from Freehand's table.\n"
            + USBError.udevRuleAdvice(vendorIds: denied)
    }

    /// The device table: location, ids, category, name and PlusServer type, columns sized to fit.
    public static func table(_ devices: [DetectedDevice]) -> String {
        let header = ["LOCATION", "ID", "CATEGORY", "DEVICE", "PLUSSERVER TYPE"]
        let rows = devices.map { d -> [String] in
            [d.device.location, d.device.idString, d.known?.category.label ?? "-",
             clip(d.fullName, 60), d.plusDeviceType ?? "-"]
        }
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        return ([header] + rows).map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Pretty, key-sorted JSON of a scan.
    public static func json(_ result: DeviceScanResult) -> String {
        encode(result, pretty: true)
    }

    /// One line for a watch event: `HH:mm:ss arrived 1-2 5555:3340 frame grabber: Epiphan ... -> PlusServer Type="Epiphan"`,
    /// or with `json` a single-line object `{"event":...,"time":...,"device":{...}}`. A nil `event` reports a
    /// device already present when watching started (`"present"`).
    public static func eventLine(_ event: USBEvent?, _ detected: DetectedDevice, json: Bool, at date: Date = Date()) -> String {
        let eventName = event?.name ?? "present"
        if json {
            return encode(EventRecord(event: eventName, time: ISO8601DateFormatter().string(from: date),
                                      device: detected), pretty: false)
        }
        let time = timeFormatter.string(from: date)
        let kind = detected.known?.category.label ?? "other"
        let type = detected.plusDeviceType.map { "  -> PlusServer Type=\"\($0)\"" } ?? ""
        return "\(time)  \(eventName.padding(toLength: 7, withPad: " ", startingAt: 0))  \(detected.device.location)  "
            + "\(detected.device.idString)  \(kind): \(detected.fullName)\(type)"
    }

    private struct EventRecord: Encodable {
        var event: String
        var time: String
        var device: DetectedDevice
    }

    private static func encode<T: Encodable>(_ value: T, pretty: Bool) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                                          : [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and arrays cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    private static func clip(_ text: String, _ width: Int) -> String {
        text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    private static var timeFormatter: DateFormatter {
        let formatter = DateFormatter()
        formatter.dateFormat = "HH:mm:ss"
        return formatter
    }
}
