import Geometry

/// Why a received image got no pose (it is counted as rejected, never compounded).
public enum PairingRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The IMAGE body could not be turned into a 2-D frame (empty, wrong pixel count, ...).
    case undecodableImage(device: String, reason: String)
    /// The IMAGE's own matrix has a NaN or infinite element (the decoder refused it, or it was
    /// seen here).
    case nonFiniteImageMatrix(device: String)
    /// No chain of calibration and tracker transforms leads from the image to the reference.
    case noChain(TransformName, reason: String)
    /// A tracker on the chain is flagged invalid at the image time (the sender said so, or it
    /// sent a non-finite matrix).
    case trackerInvalid(TransformName)
    /// The tracker samples around the image time are further apart than `limit` (seconds).
    case trackerGap(TransformName, seconds: Double, limit: Double)
    /// The tracker samples around the image time cannot be interpolated (e.g. their pixel
    /// spacings differ by more than the tolerance).
    case interpolation(TransformName, PoseRejection)
    /// The chain exists but resolves to an invalid or singular transform.
    case invalidChain(TransformName)

    public var description: String {
        switch self {
        case let .undecodableImage(device, reason): "IMAGE \(device): \(reason)"
        case let .nonFiniteImageMatrix(device): "IMAGE \(device): its matrix has a NaN or infinite element"
        case let .noChain(name, reason): "no transform chain for \(name): \(reason)"
        case let .trackerInvalid(name): "\(name) is invalid at the image time"
        case let .trackerGap(name, gap, limit):
            "\(name): nearest tracker samples \(Self.milliseconds(gap)) ms apart (limit \(Self.milliseconds(limit)) ms)"
        case let .interpolation(name, why): "\(name) cannot be interpolated at the image time: \(why)"
        case let .invalidChain(name): "no valid chain \(name)"
        }
    }

    /// Whole milliseconds, without trapping on absurd values.
    static func milliseconds(_ s: Double) -> String {
        let ms = (s * 1000).rounded()
        return ms.isFinite && abs(ms) < 1e15 ? String(Int(ms)) : "\(s * 1000)"
    }
}
