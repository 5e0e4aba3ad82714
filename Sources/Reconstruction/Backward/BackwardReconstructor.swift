import Dispatch
import Foundation
import Geometry
import Imaging
import Recordings

/// Freehand's backward (voxel-driven) reconstruction: every voxel looks up the frames near it
/// through a `FrameIndex` and takes its value by the chosen `ReconstructionMethod` (nearest
/// frame, distance-weighted k nearest frames, or interpolation between the two frames of the
/// sweep that bracket it).
///
/// Frames are added in acquisition order (their order defines the sweep for the trajectory
/// method) and reduced at once to box-averaged images near the voxel size, so the full-size
/// pixels need not stay in memory. Work is split over z slices; every voxel is computed from
/// the same frames in the same order whatever the worker count, so the result is bit-identical
/// for any number of threads. The clip rectangle and the configured fan mask are honoured.
public final class BackwardReconstructor {
    /// What came out.
    public struct Result: Sendable {
        /// The volume (8-bit or float, as the settings ask).
        public var volume: AnyVolume
        /// 1 where a voxel got a value, 0 where no frame was within reach.
        public var coverage: Volume<UInt8>
        /// The maximum distance used (mm), configured or automatic.
        public var maximumDistance: Double
        /// Frames used and frames skipped (invalid pose or nothing inside the mask).
        public var framesUsed: Int
        public var framesSkipped: Int
        /// Voxels that got a value.
        public var coveredVoxels: Int
    }

    /// The rules: method, clip rectangle, fan, backward parameters.
    public let settings: ReconstructionSettings
    /// The output grid.
    public let geometry: VolumeGeometry
    /// `.uint8` or `.float32`.
    public let outputScalarType: ScalarType
    /// Workers.
    public let threadCount: Int

    private var frames: [BackwardFrame] = []
    private var skipped = 0
    private var added = 0
    private var masks: [SIMD2<Int>: [Bool]] = [:]

    /// An empty reconstruction on `geometry`; refuses grids `memoryBudget` cannot hold and
    /// settings whose method is `.plus`.
    public init(settings: ReconstructionSettings, geometry: VolumeGeometry, outputScalarType: ScalarType = .uint8,
                threads: Int? = nil, memoryBudget: MemoryBudget = .default) throws(ReconstructionError) {
        guard settings.method.isBackward else {
            throw .invalidAttribute(name: "FreehandMethod", value: settings.method.rawValue, reason: "BackwardReconstructor needs VNN, DW or TRAJECTORY")
        }
        guard (1...BackwardParameters.maximumNeighbours).contains(settings.backward.neighbours) else {
            throw .invalidAttribute(name: "FreehandNeighbours", value: String(settings.backward.neighbours), reason: "must be 1 to \(BackwardParameters.maximumNeighbours)")
        }
        let scalar = settings.resolvedScalarType(outputScalarType)
        try memoryBudget.check(geometry, scalarType: scalar)
        self.settings = settings
        self.geometry = geometry
        self.outputScalarType = scalar
        threadCount = settings.resolvedThreadCount(threads)
    }

    /// Adds frames (in acquisition order) with their ImageToReference; frames with a
    /// non-finite pose are counted as skipped. Frames are prepared in parallel.
    public func add(images: [(image: Image, imageToReference: Transform3D)]) throws(ReconstructionError) {
        for item in images where item.image.components != 1 {
            throw .unsupportedFrame("\(item.image.components)-component frames are not supported; convert to grey levels first")
        }
        let minVoxel = min(geometry.spacing.x, geometry.spacing.y, geometry.spacing.z)
        var prepared = [BackwardFrame?](repeating: nil, count: images.count)
        let inputs = images.map { item in
            (item, mask(width: item.image.width, height: item.image.height),
             Self.factor(imageToReference: item.imageToReference, voxel: minVoxel, nearest: settings.method == .voxelNearestNeighbor))
        }
        let first = added
        prepared.withSharedBuffer { out in
            DispatchQueue.concurrentPerform(iterations: inputs.count) { i in
                let ((image, m), mask, factor) = inputs[i]
                guard m.elements.allSatisfy(\.isFinite) else { return }
                out[i] = BackwardFrame(image: image, imageToReference: m, mask: mask, factor: factor, ordinal: first + i)
            }
        }
        added += images.count
        for f in prepared {
            if let f { frames.append(f) } else { skipped += 1 }
        }
    }

    /// Pixels per coarse pixel along each axis. A voxel should read the mean of the pixels it
    /// covers, a box of r = voxel / pixel pixels (variance r²/12 pixel²); the coarse pixels are
    /// then sampled bilinearly (VNN: the nearest one), which spreads further. The factor f makes
    /// the box of f pixels plus that sampling as wide as the voxel's box: bilinear
    /// (f² - 1)/12 + f²/6 = r²/12, so f = sqrt((r² + 1) / 3); nearest (f² - 1)/12 + f²/12 = r²/12,
    /// so f = sqrt((r² + 1) / 2). Rounded, 1 (full resolution) when the voxel is at most
    /// about the pixel size.
    static func factor(imageToReference m: Transform3D, voxel: Double, nearest: Bool = false) -> Int {
        let px = max((m.column(0) * m.column(0)).sum().squareRoot(), (m.column(1) * m.column(1)).sum().squareRoot())
        guard px.isFinite, px > 0 else { return 1 }
        let r = voxel / px
        guard r.isFinite, r > 1 else { return 1 }
        let f = ((r * r + 1) / (nearest ? 2 : 3)).squareRoot().rounded()
        return f.isFinite ? min(max(Int(f), 1), 64) : 1
    }

    private func mask(width: Int, height: Int) -> [Bool] {
        let key = SIMD2(width, height)
        if let m = masks[key] { return m }
        let m = settings.pixelMask(width: width, height: height)
        masks[key] = m
        return m
    }

    /// The automatic maximum distance: 1.5 x the largest distance from a frame's centre to the
    /// previous frame's plane, at least the voxel diagonal, at most 30 mm.
    public static func automaticMaximumDistance(planes: [(centre: SIMD3<Double>, origin: SIMD3<Double>, normal: SIMD3<Double>)],
                                                spacing: SIMD3<Double>) -> Double {
        var gap = 0.0
        for i in planes.indices.dropFirst() {
            let d = abs(((planes[i].centre - planes[i - 1].origin) * planes[i - 1].normal).sum())
            if d.isFinite { gap = max(gap, d) }
        }
        let diagonal = (spacing * spacing).sum().squareRoot()
        return min(30, max(diagonal, 1.5 * gap))
    }

    /// Computes every voxel.
    public func reconstruct() throws(ReconstructionError) -> Result {
        guard !frames.isEmpty else {
            throw .noValidFrames(transform: settings.imageToReferenceName.description, total: added)
        }
        let reach = settings.backward.maximumDistance
            ?? Self.automaticMaximumDistance(planes: frames.map { ($0.centre, $0.origin, $0.normal) }, spacing: geometry.spacing)
        let index = try FrameIndex(frames: frames, grid: geometry, reach: reach)
        let n = geometry.voxelCount
        var values = [Float](repeating: 0, count: n)
        var covered = [UInt8](repeating: 0, count: n)
        let kernel = VoxelKernel(method: settings.method, parameters: settings.backward, grid: geometry, reach: reach)
        let frames = self.frames
        let geometry = self.geometry
        let workers = max(1, min(threadCount, geometry.dimensions.z))
        values.withSharedBuffer { out in
            covered.withSharedBuffer { cov in
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var scratch = VoxelKernel.Scratch(rowLength: geometry.dimensions.x, neighbours: kernel.neighbours)
                    var k = w
                    while k < geometry.dimensions.z {
                        kernel.slice(k, frames: frames, index: index, scratch: &scratch, values: out, covered: cov)
                        k += workers
                    }
                }
            }
        }
        let count = covered.reduce(0) { $0 + Int($1) }
        let volume: AnyVolume
        if outputScalarType == .uint8 {
            volume = .uint8(Volume(geometry: geometry, voxels: values.map { UInt8(min(max($0, 0), 255) + 0.5) }))
        } else {
            volume = .float32(Volume(geometry: geometry, voxels: values))
        }
        return Result(volume: volume, coverage: Volume(geometry: geometry, voxels: covered), maximumDistance: reach,
                      framesUsed: frames.count, framesSkipped: skipped, coveredVoxels: count)
    }
}
