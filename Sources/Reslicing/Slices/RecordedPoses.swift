import Geometry
import Imaging
import Reconstruction
import Recordings

/// The poses of a recording's frames, for reslicing a volume back into them ("reverse volume
/// reconstruction"): each frame's ImageToReference, chained from its tracker transforms and the
/// calibration exactly as reconstruction does, read from the header only (no pixels).
public struct RecordedPoses: Sendable {
    /// One pose per frame, in recording order (invalid where the frame's pose is).
    public var poses: [SlicePose]
    /// The recording's frame size and the pixel size implied by the first valid pose.
    public var geometry: SliceGeometry
    /// Frames whose pose is invalid or missing.
    public var invalidCount: Int

    /// Reads the poses of `path`.
    /// - Parameters:
    ///   - calibration: calibration transforms (the configuration's `<CoordinateDefinitions>`).
    ///   - name: the transform to use, usually `ImageToReference` (from `<VolumeReconstruction>`).
    public init(path: String, calibration: TransformRepository, name: TransformName) throws {
        let reader = try SequenceReader(path: path)
        var poses: [SlicePose] = []
        poses.reserveCapacity(min(reader.frameCount, 1 << 20))
        var invalid = 0
        var spacing: SIMD2<Double>?
        for i in 0..<reader.frameCount {
            let frame = try reader.metadata(ofFrame: i)
            if let m = VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: name),
               m.elements.allSatisfy(\.isFinite) {
                poses.append(SlicePose(imageToReference: m, timestamp: frame.timestamp))
                if spacing == nil { spacing = SIMD2(m.column(0).length, m.column(1).length) }
            } else {
                poses.append(SlicePose(imageToReference: .identity, timestamp: frame.timestamp, isValid: false))
                invalid += 1
            }
        }
        guard !poses.isEmpty else { throw ResliceError.invalidInput(file: path, reason: "the recording has no frames") }
        guard invalid < poses.count else {
            throw ResliceError.invalidInput(file: path, reason: "no frame has a valid \(name) (check --config: the calibration must link the frame's transforms to \(name.to))")
        }
        self.poses = poses
        self.invalidCount = invalid
        geometry = SliceGeometry(width: reader.imageSize.x, height: reader.imageSize.y, spacing: spacing ?? SIMD2(1, 1))
    }

    /// The poses for frames of `newGeometry` instead: the top-left pixel stays where it was and
    /// the pixel axes are rescaled to the new spacing.
    public func resampled(to newGeometry: SliceGeometry) -> [SlicePose] {
        poses.map { pose in
            guard pose.isValid else { return pose }
            var m = pose.imageToReference
            let sx = newGeometry.spacing.x / m.column(0).length
            let sy = newGeometry.spacing.y / m.column(1).length
            m = m * Transform3D.scaling(SIMD3(sx, sy, 1))
            return SlicePose(imageToReference: m, timestamp: pose.timestamp, isValid: true)
        }
    }
}
