import Recordings

/// A stream of tracked frames for the calibration wizard: a recording (`RecordingFrameSource`) or a
/// live OpenIGTLink stream (`LiveFrameSource` in Live).
public protocol TrackedFrameSource {
    /// A name for messages (file path, server address).
    var name: String { get }
    /// Total frames when known (recordings), for progress bars.
    var expectedCount: Int? { get }
    /// The next frame, or nil at the end.
    mutating func next() throws -> TrackedFrame?
}

/// Frames streamed from a sequence file.
public struct RecordingFrameSource: TrackedFrameSource {
    public let name: String
    private var reader: SequenceReader
    public var expectedCount: Int? { reader.frameCount }
    /// The recording's pixel spacing.
    public var pixelSpacing: SIMD2<Double> { reader.pixelSpacing }

    public init(path: String) throws(RecordingError) {
        name = path
        reader = try SequenceReader(path: path)
    }

    public mutating func next() throws -> TrackedFrame? { try reader.next() }
}
