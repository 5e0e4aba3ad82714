import Geometry
import Imaging

/// Computes the output grid the way PLUS does when no extent is configured: the corners of the
/// clip rectangle of every frame with a valid ImageToReference are mapped into the reference
/// frame; the origin is the minimum corner and each axis spans 0 ... round((max - min) / spacing).
///
/// Feed it frame by frame (it keeps only the running bounds), so a recording can be streamed
/// twice — once for the grid, once for pasting — without holding all frames in memory.
public struct OutputGridBuilder: Sendable {
    /// The settings whose spacing and clip rectangle apply.
    public let settings: ReconstructionSettings
    /// Smallest corner coordinate seen so far (reference frame, mm).
    public private(set) var minimum = SIMD3<Double>(repeating: .greatestFiniteMagnitude)
    /// Largest corner coordinate seen so far.
    public private(set) var maximum = SIMD3<Double>(repeating: -.greatestFiniteMagnitude)
    /// Frames that contributed.
    public private(set) var validFrameCount = 0
    /// Frames skipped because their transform was invalid or missing.
    public private(set) var invalidFrameCount = 0

    public init(settings: ReconstructionSettings) {
        self.settings = settings
    }

    /// PLUS's automatic grid of posed frames held in memory.
    public static func geometry(settings: ReconstructionSettings,
                                frames: [(image: Image, imageToReference: Transform3D)]) throws(ReconstructionError) -> VolumeGeometry {
        var builder = OutputGridBuilder(settings: settings)
        for f in frames { builder.add(width: f.image.width, height: f.image.height, imageToReference: f.imageToReference) }
        return try builder.geometry()
    }

    /// Adds a `width` x `height` frame placed by `imageToReference` (pixels -> mm); nil counts
    /// the frame as skipped.
    public mutating func add(width: Int, height: Int, imageToReference: Transform3D?) {
        guard let m = imageToReference, width > 0, height > 0 else {
            invalidFrameCount += 1
            return
        }
        guard m.elements.allSatisfy(\.isFinite) else {
            invalidFrameCount += 1
            return
        }
        validFrameCount += 1
        var minX = 0.0, maxX = Double(width - 1), minY = 0.0, maxY = Double(height - 1)
        if settings.clipRectangleSize.x > 0 && settings.clipRectangleSize.y > 0 {
            let o = settings.clipRectangleOrigin, s = settings.clipRectangleSize
            minX = max(minX, Double(o.x)); maxX = min(maxX, Double(o.x + s.x))
            minY = max(minY, Double(o.y)); maxY = min(maxY, Double(o.y + s.y))
        }
        for (x, y) in [(minX, minY), (minX, maxY), (maxX, minY), (maxX, maxY)] {
            let p = m.apply(SIMD3(x, y, 0))
            minimum = pointwiseMin(minimum, p)
            maximum = pointwiseMax(maximum, p)
        }
    }

    /// Adds a frame whose transform could not be used.
    public mutating func addInvalid() {
        invalidFrameCount += 1
    }

    /// The grid: PLUS's automatic extent, or the configured OutputOrigin/OutputExtent when the
    /// settings have an `outputExtent`.
    public func geometry() throws(ReconstructionError) -> VolumeGeometry {
        if let fixed = try settings.configuredGrid() { return fixed }
        guard validFrameCount > 0 else {
            throw .noValidFrames(transform: settings.imageToReferenceName.description, total: invalidFrameCount)
        }
        var spacing = settings.outputSpacing
        var dims = SIMD3<Int>(repeating: 1)
        for d in 0..<3 {
            let span = maximum[d] - minimum[d]
            if settings.recomputeOutputSpacing && d == 2 {
                let n = (span / spacing[d]).rounded(.down)
                if n >= 1 { spacing[d] = span / n }
            }
            let steps = (span / spacing[d]).rounded()
            guard steps.isFinite, steps < Double(Int32.max) else {
                throw .invalidGrid("the frames span \(span) mm along axis \("xyz".map(String.init)[d]), \(steps) voxels of \(spacing[d]) mm; check the transforms and OutputSpacing")
            }
            dims[d] = Int(steps) + 1
        }
        return VolumeGeometry(dimensions: dims, spacing: spacing, origin: minimum)
    }
}

extension ReconstructionSettings {
    /// The grid fixed by OutputOrigin/OutputExtent, or nil when the extent is to be computed.
    public func configuredGrid() throws(ReconstructionError) -> VolumeGeometry? {
        guard let e = outputExtent else { return nil }
        let origin = outputOrigin ?? .zero
        let dims = SIMD3(e[1] - e[0] + 1, e[3] - e[2] + 1, e[5] - e[4] + 1)
        guard dims.x > 0, dims.y > 0, dims.z > 0 else {
            throw .invalidAttribute(name: "OutputExtent", value: e.map(String.init).joined(separator: " "), reason: "empty extent")
        }
        let first = SIMD3(Double(e[0]), Double(e[2]), Double(e[4]))
        return VolumeGeometry(dimensions: dims, spacing: outputSpacing, origin: origin + first * outputSpacing)
    }
}
