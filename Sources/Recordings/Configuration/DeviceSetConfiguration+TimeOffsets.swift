extension DeviceSetConfiguration {
    /// The `LocalTimeOffsetSec` of the video device (one with a `<DataSource Type="Video">`) and of
    /// the tracker (one with `<DataSource Type="Tool">`), 0 when absent. PLUS adds a device's
    /// offset to its timestamps; temporal calibration writes the lag it finds there.
    public func localTimeOffsets() throws(RecordingError) -> (video: Double, tracker: Double) {
        var video = 0.0, tracker = 0.0
        for device in root.all("Device") {
            guard let text = device.attributes["LocalTimeOffsetSec"] else { continue }
            guard let value = Double(text.trimmed), value.isFinite, abs(value) <= 3600 else {
                throw .invalidField(file: path, field: "Device LocalTimeOffsetSec (line \(device.line))", value: text,
                                    reason: "must be a number of seconds between -3600 and 3600")
            }
            let types = Set(device.all("DataSource").compactMap { $0.attributes["Type"]?.lowercased() })
            if types.contains("video") { video = value }
            if types.contains("tool") { tracker = value }
        }
        return (video, tracker)
    }
}
