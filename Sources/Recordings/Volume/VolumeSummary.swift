import Geometry
import Imaging

/// What `freehand volume info` shows about a volume or sequence file: grid, geometry (ITK's LPS),
/// voxel type, physical extent, value range, and for sequences the frames, their fields and the
/// pixel spacing implied by `ImageToProbe`.
public struct VolumeSummary: Sendable {
    public var path: String
    /// Size of each axis, fastest first (components excluded; the frame axis last for sequences).
    public var dimensions: [Int]
    public var components: Int
    public var scalarType: ScalarType
    /// Spacing in mm, origin in mm (LPS), directions row-major `n x n` (column `j` = axis `j`).
    public var spacing: [Double]
    public var origin: [Double]
    public var directions: [Double]
    /// `raw`, `gzip`/`zlib`, and the data file for detached headers.
    public var encoding: String
    public var dataFile: String?
    /// Whether the file is a PLUS or 3D Slicer sequence of frames.
    public var isSequence: Bool
    /// Frames, per-frame field names (sorted), spacing (mm/px, x y z) from the first `ImageToProbe`.
    public var frameCount: Int?
    public var frameFields: [String] = []
    public var imageToProbeSpacing: SIMD3<Double>?
    /// Smallest and largest scalar (all components), when asked for.
    public var valueRange: (min: Double, max: Double)?

    /// Reads the header of `path` (no voxel data) and, when `valueRange` is set, streams the data
    /// once for the smallest and largest value.
    public init(path: String, valueRange: Bool) throws(RecordingError) {
        let header = try SequenceFile.header(path)
        self.path = path
        dimensions = header.dimensions
        components = header.components
        scalarType = header.scalarType
        spacing = header.spacing
        origin = header.origin
        directions = header.direction
        switch header.encoding {
        case .raw: encoding = "raw"
        case .compressed: encoding = header.isNrrd ? "gzip" : "zlib"
        }
        dataFile = header.dataPath == header.path ? nil : header.dataPath
        isSequence = VolumeSummary.isSequence(header)
        if isSequence {
            let layout = try SequenceLayout(header: header)
            frameCount = layout.frameCount
            frameFields = Set(layout.frameFields.values.flatMap { $0.map(\.name) }).sorted()
            if let first = layout.frameFields.keys.min(), let frame = Optional(try layout.frame(first, image: Image(width: 0, height: 0))),
               let t = frame.transforms[TransformName(from: "Image", to: "Probe")] {
                let m = t.matrix
                imageToProbeSpacing = SIMD3((0..<3).map { m.column($0) }.map { ($0 * $0).sum().squareRoot() })
            }
        }
        if valueRange { self.valueRange = try VolumeSummary.range(header) }
    }

    /// Whether `header` describes a sequence of frames rather than one volume.
    static func isSequence(_ header: RasterHeader) -> Bool {
        // PLUS also writes volumes with per-frame image statuses; a sequence has timestamps or poses.
        header.interleavedFrames
            || header.fields.contains { $0.key.hasPrefix("Seq_Frame") && ($0.key.hasSuffix("Timestamp") || $0.key.hasSuffix("Transform")) }
            || (header.isNrrd && (header.field("kinds")?.words.contains("list") ?? false))
    }

    /// Physical size of the grid (voxel corners), mm per axis.
    public var extent: [Double] { zip(dimensions, spacing).map { Double($0) * $1 } }

    /// The summary as `key: value` lines.
    public var lines: [String] {
        let f = formatNumber
        var out = ["file: \(path)",
                   "type: \(scalarType.rawValue)" + (components > 1 ? " x \(components) components" : ""),
                   "dimensions: " + dimensions.map(String.init).joined(separator: " "),
                   "spacing (mm): " + spacing.map(f).joined(separator: " "),
                   "origin (mm, LPS): " + origin.map(f).joined(separator: " ")]
        let n = dimensions.count
        out.append("directions (columns are axes): " + (0..<n).map { r in (0..<n).map { f(directions[r * n + $0]) }.joined(separator: " ") }.joined(separator: " | "))
        out.append("physical extent (mm): " + extent.map(f).joined(separator: " x "))
        out.append("encoding: \(encoding)" + (dataFile.map { ", data in \($0)" } ?? ""))
        if let valueRange { out.append("value range: \(f(valueRange.min)) .. \(f(valueRange.max))") }
        if isSequence {
            out.append("frames: \(frameCount ?? 0)")
            out.append("frame fields: " + (frameFields.isEmpty ? "none" : frameFields.joined(separator: ", ")))
            if let s = imageToProbeSpacing {
                out.append("spacing implied by ImageToProbe (mm/px): \(f(s.x)) \(f(s.y)) \(f(s.z))")
            } else {
                out.append("spacing implied by ImageToProbe: no ImageToProbeTransform in the frames")
            }
        }
        return out
    }

    /// Streams the samples in 4 MiB pieces; nil when there are none.
    static func range(_ header: RasterHeader) throws(RecordingError) -> (min: Double, max: Double)? {
        let source = try RasterDataSource(header: header)
        let width = header.scalarType.byteCount
        var remaining = source.totalBytes
        guard remaining > 0 else { return nil }
        var lo = Double.infinity, hi = -Double.infinity
        var buffer = [UInt8](repeating: 0, count: min(remaining, (4 << 20) / width * width))
        while remaining > 0 {
            let n = min(buffer.count, remaining)
            try source.readNext(into: &buffer, count: n)
            if header.bigEndian { buffer.swapByteOrder(scalarWidth: width) }
            buffer.withUnsafeBytes { raw in
                func scan<S: BinaryInteger>(_: S.Type) {
                    for v in raw.prefix(n).bindMemory(to: S.self) { let d = Double(v); lo = Swift.min(lo, d); hi = Swift.max(hi, d) }
                }
                func scanFloat<S: BinaryFloatingPoint>(_: S.Type) {
                    for v in raw.prefix(n).bindMemory(to: S.self) where v.isFinite { let d = Double(v); lo = Swift.min(lo, d); hi = Swift.max(hi, d) }
                }
                switch header.scalarType {
                case .int8: scan(Int8.self)
                case .uint8: scan(UInt8.self)
                case .int16: scan(Int16.self)
                case .uint16: scan(UInt16.self)
                case .int32: scan(Int32.self)
                case .uint32: scan(UInt32.self)
                case .float32: scanFloat(Float.self)
                case .float64: scanFloat(Double.self)
                }
            }
            remaining -= n
        }
        return lo <= hi ? (lo, hi) : nil
    }
}
