/// Why a reconstruction could not be set up or run.
public enum ReconstructionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A `<VolumeReconstruction>` attribute is missing or malformed.
    case invalidAttribute(name: String, value: String?, reason: String)
    /// A nested `<HoleFillingElement>` is malformed.
    case invalidHoleFillingElement(index: Int, reason: String)
    /// The output grid would need more memory than allowed.
    case volumeTooLarge(dimensions: SIMD3<Int>, voxels: Int, bytes: Int, limitBytes: Int)
    /// The output grid is empty or malformed.
    case invalidGrid(String)
    /// No frame had a valid ImageToReference transform.
    case noValidFrames(transform: String, total: Int)
    /// A frame's layout cannot be pasted (e.g. size differs from the importance mask).
    case unsupportedFrame(String)
    /// The importance mask could not be used.
    case importanceMask(path: String, reason: String)
    /// Nothing (or almost nothing) would land in the volume; the text gives the cause.
    case emptyResult(String)
    /// Hole filling would take too long (empty voxels times the voxels each kernel visits).
    case holeFillingTooSlow(emptyVoxels: Int, visitsPerHole: Int, limit: Int)

    public var description: String {
        switch self {
        case let .invalidAttribute(name, value, reason):
            if let value { return "VolumeReconstruction attribute \(name)=\"\(value)\": \(reason)" }
            return "VolumeReconstruction attribute \(name): \(reason)"
        case let .invalidHoleFillingElement(index, reason):
            return "HoleFillingElement #\(index + 1): \(reason)"
        case let .volumeTooLarge(d, voxels, bytes, limit):
            return "output volume \(d.x)x\(d.y)x\(d.z) = \(voxels) voxels needs \(formatBytes(bytes)) (volume + accumulation buffer), above the limit of \(formatBytes(limit)); increase OutputSpacing, crop the extent, or raise the memory limit"
        case let .invalidGrid(reason):
            return "invalid output grid: \(reason)"
        case let .noValidFrames(transform, total):
            return "none of the \(total) frames has a valid \(transform) transform (check ImageCoordinateFrame/ReferenceCoordinateFrame and the calibration)"
        case let .unsupportedFrame(reason):
            return "frame cannot be pasted: \(reason)"
        case let .importanceMask(path, reason):
            return "importance mask \(path): \(reason)"
        case let .emptyResult(cause):
            return "the reconstruction would be empty: \(cause) (nothing was written; --allow-empty writes it anyway)"
        case let .holeFillingTooSlow(empty, visits, limit):
            return "hole filling would visit up to \(empty) empty voxels x \(visits) voxels per hole, above the limit of \(limit); use smaller HoleFillingElement Size/StickLengthLimit, fewer kernels or a coarser OutputSpacing"
        }
    }
}

/// `1234567890` -> `1.15 GiB (1234567890 bytes)`.
public func formatBytes(_ bytes: Int) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var v = Double(bytes)
    var u = 0
    while v >= 1024, u < units.count - 1 { v /= 1024; u += 1 }
    if u == 0 { return "\(bytes) bytes" }
    let rounded = (v * 100).rounded() / 100
    return "\(rounded) \(units[u]) (\(bytes) bytes)"
}
