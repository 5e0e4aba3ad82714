import Geometry
import Imaging

/// One message a replay sends, at a time relative to the start of the stream.
public enum ReplayEvent: Sendable {
    /// An IMAGE named `device` whose matrix carries `matrix` (pixel indices -> mm).
    case image(time: Double, device: String, image: Image, matrix: Transform3D)
    /// A TRANSFORM named by `name`.
    case transform(time: Double, name: TransformName, matrix: Transform3D)

    /// Seconds from the start of the stream.
    public var time: Double {
        switch self {
        case .image(let t, _, _, _), .transform(let t, _, _): return t
        }
    }
}

/// Produces replay events in time order.
public protocol ReplaySource {
    /// The next event, or nil at the end.
    mutating func next() throws -> ReplayEvent?
    /// Starts again from the beginning (for `--loop`); returns the length of the pass just
    /// finished (its duration plus one mean frame interval), by which the next pass's times are
    /// shifted so the clock keeps running.
    mutating func rewind() throws -> Double
}
