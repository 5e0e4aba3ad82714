import Geometry
import Imaging
import Recordings

/// Everything needed to reslice a volume along a markups curve, with the defaults of
/// `freehand reslice --curve`: step and pixel spacing the volume's smallest voxel spacing,
/// slices 256 x 256.
public struct CurveReslicing: Sendable {
    /// The resampled curve and its frames.
    public let path: CurvePath
    /// Slice size and spacing.
    public let slice: SliceGeometry
    /// Straightened <-> original coordinates.
    public let mapping: StraightenedMapping
    /// One pose per slice (timestamp = arc length in mm).
    public let poses: [SlicePose]

    public init(curve: MarkupList, file: String, volume: VolumeGeometry, step: Double? = nil, size: SIMD2<Int>? = nil,
                spacing: SIMD2<Double>? = nil, up: SIMD3<Double>? = nil) throws(ResliceError) {
        let smallest = volume.smallestSpacing
        guard smallest.isFinite, smallest > 0 else {
            throw .invalidInput(file: "volume", reason: "voxel spacing \(volume.spacing) is not positive")
        }
        slice = SliceGeometry(width: size?.x ?? 256, height: size?.y ?? 256, spacing: spacing ?? SIMD2(repeating: smallest))
        try slice.validate()
        path = try CurvePath(points: curve.points.map(\.position), step: step ?? smallest, up: up, volume: volume,
                             file: file, labels: curve.points.map(\.label))
        mapping = StraightenedMapping(path: path, slice: slice)
        let geometry = slice
        poses = path.frames.map { SlicePose(imageToReference: geometry.imageToReference($0), timestamp: $0.arcLength) }
    }

    /// Poses that read slice k of a volume on `mapping.straightenedGeometry` (for restacking a
    /// label map drawn on the straightened volume into slices with the original poses).
    public var straightenedPoses: [SlicePose] {
        let g = mapping.straightenedGeometry
        return poses.indices.map { k in
            SlicePose(imageToReference: g.indexToPhysical * Transform3D.translation(SIMD3(0, 0, Double(k))), timestamp: poses[k].timestamp)
        }
    }

    /// Maps every point of `list` to `target` coordinates.
    public func map(_ list: MarkupList, to target: MappingTarget, file: String) throws(ResliceError) -> MarkupList {
        var out = list
        for (i, point) in list.points.enumerated() {
            switch target {
            case .original:
                out.points[i].position = mapping.toOriginal(point.position)
            case .straightened:
                guard let q = mapping.toStraightened(point.position) else {
                    throw .unmappablePoint(file: file, label: point.label, index: i,
                                           reason: "no slice plane passes through it within the slice area; is it near the curve, and in the volume's coordinates?")
                }
                out.points[i].position = q
            }
        }
        return out
    }
}

/// Which coordinates `--map-points` maps into.
public enum MappingTarget: String, Sendable, CaseIterable {
    /// From straightened-volume coordinates to the original volume's.
    case original
    /// From the original volume's coordinates to the straightened volume's.
    case straightened
}
