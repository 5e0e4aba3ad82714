import Calibration

extension LiveFrameSource: LiveStepSource {
    /// A source for one wizard step's request.
    public convenience init(request: LiveRequest, host: String, port: Int) {
        var options = Options(host: host, port: port)
        switch request.content {
        case .tracker: options.content = .tracker
        case .images(let poseFrame): options.content = .images(poseFrame: poseFrame)
        }
        options.referenceFrame = request.referenceFrame
        options.maxFrames = request.maxFrames
        options.duration = request.duration
        self.init(options: options)
    }

    /// Devices received with their rates, and what the step still waits for.
    public var reception: String {
        let s = statistics
        guard s.connected || !s.devices.isEmpty else { return "not connected to \(name) yet (is PlusServer or `freehand replay` running there?)" }
        let received = s.devices.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count) (\(Int($0.value.rate.rounded())) /s)" }
        let images = s.devices.keys.contains { $0.hasPrefix("IMAGE ") }
        let poses = s.devices.keys.filter { $0.hasPrefix("TRANSFORM ") || $0.hasPrefix("POSITION ") || $0.hasPrefix("TDATA ") }
        var waiting: String
        switch options.content {
        case .tracker:
            waiting = poses.isEmpty ? "waiting for tracker TRANSFORM messages" : "waiting for complete tracker frames"
        case .images(let poseFrame):
            if !images { waiting = "waiting for IMAGE messages" }
            else if let p = poseFrame {
                let chain = "\(p)To\(options.referenceFrame)"
                waiting = poses.isEmpty
                    ? "waiting for tracker TRANSFORMs giving \(chain) (e.g. \(p)ToTracker and \(options.referenceFrame)ToTracker); only images arrive"
                    : "pairing the images with TRANSFORMs that give \(chain) at the image times (have \(poses.map { String($0.split(separator: " ").last ?? "") }.sorted().joined(separator: ", ")))"
            } else { waiting = "waiting for image frames" }
        }
        return (received.isEmpty ? "connected, nothing received yet" : "received " + received.joined(separator: ", ")) + "; " + waiting
    }

    /// Why collection ended, and dropped frames or messages.
    public var endNotes: (reason: String?, warnings: [String]) {
        let s = statistics
        var warnings: [String] = []
        if s.framesDropped + s.messagesDropped > 0 {
            warnings.append("\(s.framesDropped) frames and \(s.messagesDropped) messages dropped because processing fell behind")
        }
        return (s.endReason?.description, warnings)
    }
}
