/// Where the ultrasound data lies in a frame: a rectangle for linear probes, a fan for
/// curvilinear and phased probes.
public struct ImagingRegion: Sendable, Hashable, CustomStringConvertible {
    /// The region's shape.
    public enum Shape: String, Sendable, Hashable { case linear, curvilinear }

    public var shape: Shape
    /// Bounding rows and columns of the data (inclusive pixel indices).
    public var top: Int, bottom: Int, left: Int, right: Int
    /// The fan, for curvilinear regions.
    public var fan: FanGeometry?
    /// The frame size the region was found in.
    public var frameWidth: Int, frameHeight: Int
    /// Notes on anything that makes the measurement less certain (region touching the frame edge, ...).
    public var notes: [String]
    /// How sure the detection is (a region given by hand is trusted).
    public var confidence: RegionConfidence

    public init(shape: Shape, top: Int, bottom: Int, left: Int, right: Int, fan: FanGeometry? = nil,
                frameWidth: Int, frameHeight: Int, notes: [String] = [], confidence: RegionConfidence = .given) {
        self.shape = shape
        self.top = top; self.bottom = bottom; self.left = left; self.right = right
        self.fan = fan
        self.frameWidth = frameWidth; self.frameHeight = frameHeight
        self.notes = notes
        self.confidence = confidence
    }

    /// Pixels from the transducer face to the deepest data: rows counted inclusively for a linear
    /// region, radius stop minus start plus one pixel for a fan (so both count pixel rows).
    public var depthPixels: Double {
        if let fan { return fan.depthPixels + 1 }
        return Double(bottom - top + 1)
    }

    /// The centre of the transducer face (pixel).
    public var faceCentre: SIMD2<Double> {
        if let fan { return fan.faceCentre }
        return SIMD2(Double(left + right) / 2, Double(top))
    }

    public var description: String {
        switch shape {
        case .linear:
            return "linear region rows \(top)...\(bottom), columns \(left)...\(right) (\(Int(depthPixels)) rows deep)"
        case .curvilinear:
            return "curvilinear fan: \(fan.map { "\($0)" } ?? "?") (\(formatted(depthPixels)) px deep)"
        }
    }
}
