import Geometry
import Imaging
import Recordings

/// Runs a reslice end to end: samples the poses with a `Reslicer` and streams the slices to a
/// tracked sequence file, a straightened volume and a panorama, whichever are asked for.
/// Nothing is written at the output paths unless the whole run succeeds, at least one pixel
/// of one slice lies inside the volume and at least one is not 0.
public enum ResliceFlow {
    /// The transform every output frame carries: slice pixels (x, y, 0) to the volume's frame.
    public static let transformName = TransformName(from: "Image", to: "Reference")

    /// - Parameters:
    ///   - poses: the slices' poses, written with each frame.
    ///   - sampling: where the slices are sampled, when not at `poses` (restacking a volume
    ///     drawn on the straightened grid: sample its z slices, write them at the curve poses).
    ///   - straightened: the straightened volume's grid (for `outputs.straightened`).
    ///   - what: names the slices in errors ("the curve", "the recording's poses").
    ///   - volumeName: names the sampled volume in errors (its file).
    public static func run(reslicer: Reslicer, poses: [SlicePose], sampling: [SlicePose]? = nil, geometry: SliceGeometry,
                           outputs: ResliceOutputs, straightened: VolumeGeometry? = nil, what: String = "the slices",
                           volumeName: String = "the volume",
                           progress: ((Int, Int) -> Void)? = nil) throws -> ResliceReport {
        try geometry.validate()
        let sampled = sampling ?? poses
        if outputs.panorama != nil, poses.count > PNG.maxDimension {
            throw ResliceError.invalidOption(name: "panorama", value: outputs.panorama!,
                                             reason: "\(poses.count) slices make a panorama wider than PNG's \(PNG.maxDimension) pixels; use a larger --step")
        }
        precondition(sampled.count == poses.count, "one sampling pose per written pose")
        guard !poses.isEmpty else { throw ResliceError.outsideVolume(what: what + " (none)") }
        // Runs of valid slices whose centre pixel lies outside the volume, for the warning.
        let centre = SIMD3(geometry.centrePixel.x, geometry.centrePixel.y, 0)
        var outsideRuns: [ClosedRange<Int>] = []
        for (i, pose) in sampled.enumerated() where pose.isValid && !reslicer.contains(physical: pose.imageToReference.apply(centre)) {
            if let last = outsideRuns.last, last.upperBound == i - 1 {
                outsideRuns[outsideRuns.count - 1] = last.lowerBound...i
            } else {
                outsideRuns.append(i...i)
            }
        }

        let type = reslicer.volume.scalarType
        var sequence: SequenceStreamWriter?
        if let path = outputs.slices {
            let frames = poses.enumerated().map { i, pose in
                TrackedFrame(image: Image(width: 0, height: 0), timestamp: pose.timestamp,
                             transforms: [transformName: TrackedTransform(matrix: pose.imageToReference, status: pose.isValid ? .ok : .invalid)],
                             fields: ["FrameNumber": String(i)])
            }
            sequence = try SequenceStreamWriter(path: path, frames: frames, width: geometry.width, height: geometry.height,
                                                scalarType: type, compressed: outputs.compressed)
        }
        var volume: VolumeStreamWriter?
        if let path = outputs.straightened, let straightened {
            volume = try VolumeStreamWriter(path: path, geometry: straightened, scalarType: type, compressed: outputs.compressed)
        }
        var band: Double?
        var panorama: [Double] = []
        if outputs.panorama != nil {
            band = (outputs.panoramaThickness.map { $0 / 2 / geometry.spacing.x }) ?? Double(geometry.width)
            panorama = [Double](repeating: 0, count: poses.count * geometry.height)
        }
        var empty = 0, inside = 0, anyNonZero = false
        try reslicer.run(poses: sampled, geometry: geometry, panoramaBand: band) { i, slice in
            if slice.pixelsInside == 0 { empty += 1 }
            inside += slice.pixelsInside
            if !anyNonZero { anyNonZero = slice.image.bytes.contains { $0 != 0 } }
            try sequence?.append(slice.image)
            try volume?.append(sliceBytes: slice.image.bytes)
            if band != nil {
                let column = outputs.panoramaMode == .maximum ? slice.rowMaximum : slice.rowMean
                for y in 0..<geometry.height { panorama[y * poses.count + i] = column[y] }
            }
            progress?(i + 1, poses.count)
        }
        guard inside > 0 else { throw ResliceError.outsideVolume(what: what) }
        guard anyNonZero else { throw ResliceError.allZero(what: what, volume: volumeName) }
        try sequence?.finish()
        try volume?.finish()
        if let path = outputs.panorama {
            try writePanorama(panorama, width: poses.count, height: geometry.height, eightBit: type == .uint8, to: path)
        }
        return ResliceReport(sliceCount: poses.count, emptySlices: empty, outsideRuns: outsideRuns, pixelsInside: inside)
    }

    /// The panorama as an 8-bit PNG: 8-bit volumes keep their values, others are scaled so the
    /// largest value is 255 (negative values are 0).
    static func writePanorama(_ values: [Double], width: Int, height: Int, eightBit: Bool, to path: String) throws {
        let peak = values.max() ?? 0
        let scale = eightBit || peak <= 0 ? 1 : 255 / peak
        let bytes = values.map { v -> UInt8 in
            let s = (v * scale).rounded()
            return s.isNaN ? 0 : UInt8(max(0, min(255, s)))
        }
        try PNG.write(Image(width: width, height: height, bytes: bytes), to: path)
    }
}
