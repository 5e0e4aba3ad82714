import Imaging
import Recordings

/// Why a reslice cannot be done; each case names the input at fault and what to change.
public enum ResliceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The curve has fewer than two distinct control points.
    case tooFewPoints(file: String, count: Int)
    /// Two consecutive control points coincide.
    case repeatedPoint(file: String, index: Int, label: String)
    /// A size, spacing, step or count option is unusable.
    case invalidOption(name: String, value: String, reason: String)
    /// The whole curve (or every pose) lies outside the volume.
    case outsideVolume(what: String)
    /// Every sampled pixel is 0: the volume is empty where the slices cut it.
    case allZero(what: String, volume: String)
    /// A point to map cannot be mapped.
    case unmappablePoint(file: String, label: String, index: Int, reason: String)
    /// An input file has the wrong shape for this use.
    case invalidInput(file: String, reason: String)

    public var description: String {
        switch self {
        case let .tooFewPoints(file, count):
            return "\(file): a curve needs at least two distinct control points, found \(count)"
        case let .repeatedPoint(file, index, label):
            return "\(file): control point \(index + 1)\(label.isEmpty ? "" : " (\(label))") repeats the one before it; remove the duplicate"
        case let .invalidOption(name, value, reason):
            return "--\(name) \(value): \(reason)"
        case let .outsideVolume(what):
            return "\(what) lies entirely outside the volume; check the coordinate system (LPS/RAS) and the volume"
        case let .allZero(what, volume):
            return "\(volume): every pixel of \(what) is 0 there (nothing written); check that the volume has data where the slices cut it"
        case let .unmappablePoint(file, label, index, reason):
            return "\(file): point \(index + 1)\(label.isEmpty ? "" : " (\(label))"): \(reason)"
        case let .invalidInput(file, reason):
            return "\(file): \(reason)"
        }
    }
}
