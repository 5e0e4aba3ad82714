/// A change in the set of attached USB devices.
public enum USBEvent: Sendable, Equatable {
    case arrived(USBDevice)
    case left(USBDevice)

    /// The device concerned.
    public var device: USBDevice {
        switch self {
        case .arrived(let device), .left(let device): return device
        }
    }

    /// "arrived" or "left".
    public var name: String {
        switch self {
        case .arrived: return "arrived"
        case .left: return "left"
        }
    }
}
