import Geometry
import IGTLink

extension IGTLMessage {
    /// The tracker poses this message carries: TRANSFORM (named by its device name, or by the
    /// full name in the v2 metadata key `IGTL_DEVICE_NAME` when PlusServer truncated it),
    /// POSITION (device name; quaternion + position), TDATA (one per tool; a tool name without
    /// `To` is taken as `<Tool>ToTracker`). Names that are not `AToB` are ignored.
    /// - Parameter time: the time to stamp the poses with (seconds).
    public func trackerSamples(time: Double) -> [(TransformName, TrackerHistory.Sample)] {
        let name = metadata("IGTL_DEVICE_NAME") ?? deviceName
        switch body {
        case .transform(let m):
            guard let n = TransformName(name) else { return [] }
            return [(n, TrackerHistory.Sample(time: time, matrix: m))]
        case .position(let p):
            guard let n = TransformName(name) else { return [] }
            let q = Quaternion(x: Double(p.quaternion.x), y: Double(p.quaternion.y), z: Double(p.quaternion.z), w: Double(p.quaternion.w)).normalized
            let t = SIMD3(Double(p.position.x), Double(p.position.y), Double(p.position.z))
            return [(n, TrackerHistory.Sample(time: time, matrix: q.transform(translation: t)))]
        case .trackingData(let tools):
            return tools.map { tool in
                let n = TransformName(tool.name) ?? TransformName(from: tool.name, to: "Tracker")
                return (n, TrackerHistory.Sample(time: time, matrix: tool.transform))
            }
        default:
            return []
        }
    }

    /// The header timestamp in seconds, or `fallback` when the sender left it zero.
    public func seconds(fallback: Double) -> Double {
        timestamp == .zero ? fallback : timestamp.secondsSince1970
    }
}
