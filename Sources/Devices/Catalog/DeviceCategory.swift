/// What role an attached device plays in a tracked-ultrasound set-up.
public enum DeviceCategory: String, Codable, Sendable, CaseIterable {
    /// Video frame grabber digitising a scanner's screen output (e.g. Epiphan).
    case frameGrabber
    /// Position tracker (optical or electromagnetic) or its serial host converter.
    case tracker
    /// Ultrasound probe with its own USB beamformer (e.g. Interson).
    case probe
    /// Generic USB Video Class device (camera, HDMI grabber).
    case video

    /// Short label for the human-readable table.
    public var label: String {
        switch self {
        case .frameGrabber: return "frame grabber"
        case .tracker: return "tracker"
        case .probe: return "probe"
        case .video: return "video (UVC)"
        }
    }
}
