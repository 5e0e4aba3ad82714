import Dispatch
import Foundation
import Geometry
import Imaging
import Recordings
import PasteKernels

/// Pastes tracked frames into a volume and its accumulation buffer, as PLUS's
/// `vtkIGSIOVolumeReconstructor` does, on a fixed output grid.
///
/// Use it in batch (`add(frames:)` with many frames at once is the fastest: all workers run over
/// the whole batch) or live (`add(frame:)` repeatedly, `volumeUInt8()` for a snapshot). Work is
/// split into z-slabs of the output, one per worker; each worker pastes every frame's pixels that
/// land in its slab, in frame order, so results are bit-identical for any thread count.
///
/// Every frame handed in is pasted (SkipInterval and hole filling are applied by
/// `RecordingReconstruction`; `HoleFiller` fills a snapshot on demand).
public final class VolumeReconstructor {
    /// The rules.
    public let settings: ReconstructionSettings
    /// The output grid.
    public let geometry: VolumeGeometry
    /// Voxel type of the output (`uint8` or `float32`).
    public let outputScalarType: ScalarType
    /// Workers used per batch.
    public let threadCount: Int
    /// Calibration transforms (e.g. ImageToProbe) that frames' tracker transforms are chained with.
    public let calibration: TransformRepository
    /// Counts so far.
    public private(set) var statistics = ReconstructionStatistics()
    /// Load-balance diagnostics of the last batch: each worker's share of the voxel updates
    /// (one entry per z-slab; 1/threadCount each when perfectly balanced).
    public private(set) var lastBatchWorkShares: [Double] = []
    /// Which compiled copy of the double-precision trilinear kernels pastes (the same output
    /// bits either way); `PasteKernelSet.detected` unless set.
    public var kernels = PasteKernelSet.detected

    private var voxelsUInt8: [UInt8] = []
    private var voxelsFloat: [Float] = []
    private var accumulationBuffer: [UInt16]
    private let importance: [UInt8]?
    private let importanceSize: SIMD2<Int>?
    private var maskCache: [MaskKey: PixelMask] = [:]
    private let fanDetector: FanAngleDetector?

    private struct MaskKey: Hashable {
        let width: Int, height: Int, left: Double, right: Double
    }

    /// Creates an empty volume on `geometry`.
    /// - Parameters:
    ///   - outputScalarType: `.uint8` or `.float32`; `settings.outputScalarMode` wins when set.
    ///   - threads: overrides `settings.numberOfThreads` (0 or nil: one per active processor).
    ///   - importanceMask: 8-bit mask, frame-sized, rows top-down as the frames (required for IMPORTANCE_MASK).
    ///   - memoryBudget: refuses grids whose volume + accumulation exceed it, before allocating.
    public init(settings: ReconstructionSettings, geometry: VolumeGeometry, calibration: TransformRepository = TransformRepository(),
                outputScalarType: ScalarType = .uint8, threads: Int? = nil, importanceMask: Image? = nil,
                memoryBudget: MemoryBudget = .default) throws(ReconstructionError) {
        let scalar: ScalarType
        switch settings.outputScalarMode {
        case .uint8?: scalar = .uint8
        case .float32?: scalar = .float32
        case nil: scalar = outputScalarType == .uint8 ? .uint8 : .float32
        }
        try memoryBudget.check(geometry, scalarType: scalar)
        self.settings = settings
        self.geometry = geometry
        self.outputScalarType = scalar
        self.calibration = calibration
        let requested = threads ?? settings.numberOfThreads
        threadCount = requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
        if settings.compoundingMode == .importanceMask {
            guard let mask = importanceMask else {
                throw .importanceMask(path: settings.importanceMaskFilename ?? "(none)", reason: "IMPORTANCE_MASK compounding needs a mask image")
            }
            guard mask.components == 1, mask.scalarType == .uint8 else {
                throw .importanceMask(path: settings.importanceMaskFilename ?? "(image)", reason: "must be 8-bit single-channel")
            }
            importance = mask.bytes
            importanceSize = SIMD2(mask.width, mask.height)
        } else {
            importance = nil
            importanceSize = nil
        }
        fanDetector = settings.enableFanAnglesAutoDetect && settings.hasFan ? FanAngleDetector(settings: settings) : nil
        let n = geometry.voxelCount
        accumulationBuffer = [UInt16](repeating: 0, count: n)
        if scalar == .uint8 { voxelsUInt8 = [UInt8](repeating: 0, count: n) } else { voxelsFloat = [Float](repeating: 0, count: n) }
    }

    // MARK: Adding frames

    /// Pastes one image whose pixels map to the reference frame by `imageToReference`.
    public func add(image: Image, imageToReference: Transform3D) throws(ReconstructionError) {
        try paste([(image, imageToReference)])
    }

    /// Pastes one tracked frame; returns false when it was skipped (invalid transform).
    @discardableResult
    public func add(frame: TrackedFrame) throws(ReconstructionError) -> Bool {
        guard let m = imageToReference(for: frame) else {
            countInvalid(frame)
            return false
        }
        try paste([(frame.image, m)])
        return true
    }

    /// Pastes a batch of frames in order, all workers sharing the batch.
    public func add(frames: [TrackedFrame]) throws(ReconstructionError) {
        var items: [(Image, Transform3D)] = []
        items.reserveCapacity(frames.count)
        for f in frames {
            if let m = imageToReference(for: f) { items.append((f.image, m)) } else { countInvalid(f) }
        }
        try paste(items)
    }

    /// Pastes a batch of images with their ImageToReference transforms, in order.
    public func add(images: [(image: Image, imageToReference: Transform3D)]) throws(ReconstructionError) {
        try paste(images.map { ($0.image, $0.imageToReference) })
    }

    /// The frame's ImageToReference (calibration chained with its tracker transforms), or nil
    /// when the image or any transform on the path is invalid or missing.
    public func imageToReference(for frame: TrackedFrame) -> Transform3D? {
        VolumeReconstructor.imageToReference(for: frame, calibration: calibration, name: settings.imageToReferenceName)
    }

    /// See `imageToReference(for:)`.
    public static func imageToReference(for frame: TrackedFrame, calibration: TransformRepository, name: TransformName) -> Transform3D? {
        if case let .success(m) = resolve(frame, calibration: calibration, name: name) { return m }
        return nil
    }

    /// The frame's ImageToReference, or why the frame is INVALID: image status, a missing or
    /// invalid transform on the path (with the per-frame field at fault, see `FrameProblem`),
    /// or a degenerate result (image axes of zero length or parallel, e.g. an all-zero
    /// calibration), which would put every pixel on one line or point.
    public static func resolve(_ frame: TrackedFrame, calibration: TransformRepository, name: TransformName) -> Result<Transform3D, InvalidFrameReason> {
        guard frame.imageStatus == .ok else { return .failure(.imageStatus) }
        let r: TransformRepository.Result
        do { r = try frame.repository(base: calibration).transform(name) } catch {
            return .failure(.noPath(transform: name.description))
        }
        guard r.status == .ok else {
            if let problem = frame.problems.first(where: { !$0.isTimestamp }) { return .failure(.field(problem.description)) }
            return .failure(.transformStatus(transform: name.description))
        }
        let m = r.matrix
        guard m.elements.allSatisfy(\.isFinite) else { return .failure(.degenerate(transform: name.description)) }
        let x = SIMD3(m[0, 0], m[1, 0], m[2, 0]), y = SIMD3(m[0, 1], m[1, 1], m[2, 1])
        let cross = SIMD3(x.y * y.z - x.z * y.y, x.z * y.x - x.x * y.z, x.x * y.y - x.y * y.x)
        let scale = max((x * x).sum(), (y * y).sum())
        guard scale > 0, (cross * cross).sum() > 1e-12 * scale * scale else { return .failure(.degenerate(transform: name.description)) }
        return .success(m)
    }

    private func countInvalid(_ frame: TrackedFrame) {
        statistics.framesSkippedInvalidTransform += 1
        if case let .failure(reason) = Self.resolve(frame, calibration: calibration, name: settings.imageToReferenceName) {
            statistics.invalidFrameReasons[reason.description, default: 0] += 1
        }
    }

    // MARK: Results

    /// A snapshot of the volume in its output type.
    public func volume() -> AnyVolume {
        if let v = volumeUInt8() { return .uint8(v) }
        return .float32(volumeFloat()!)
    }

    /// A copy of the 8-bit volume (nil when the output is float).
    public func volumeUInt8() -> Volume<UInt8>? {
        outputScalarType == .uint8 ? Volume(geometry: geometry, voxels: voxelsUInt8) : nil
    }

    /// A copy of the float volume (nil when the output is 8-bit).
    public func volumeFloat() -> Volume<Float>? {
        outputScalarType == .float32 ? Volume(geometry: geometry, voxels: voxelsFloat) : nil
    }

    /// A copy of the accumulation buffer (256 per full-weight hit, capped at 65535; 0 = never hit).
    public func accumulation() -> Volume<UInt16> {
        Volume(geometry: geometry, voxels: accumulationBuffer)
    }

    /// Fraction of voxels hit at least once.
    public var coverage: Double {
        guard !accumulationBuffer.isEmpty else { return 0 }
        var hit = 0
        for a in accumulationBuffer where a != 0 { hit += 1 }
        return Double(hit) / Double(accumulationBuffer.count)
    }

    /// Why the volume so far holds nothing (no voxel's accumulation above 0), in the offline
    /// pipeline's words (`EmptyResultDiagnosis`); nil as soon as one voxel was hit.
    public var emptyCause: String? {
        guard !accumulationBuffer.contains(where: { $0 != 0 }) else { return nil }
        return EmptyResultDiagnosis.afterPasting(statistics: statistics, hit: 0, voxels: accumulationBuffer.count, settings: settings)
    }

    /// Clears the volume, the accumulation buffer and the statistics.
    public func reset() {
        for i in accumulationBuffer.indices { accumulationBuffer[i] = 0 }
        for i in voxelsUInt8.indices { voxelsUInt8[i] = 0 }
        for i in voxelsFloat.indices { voxelsFloat[i] = 0 }
        statistics = ReconstructionStatistics()
    }

    // MARK: Pasting

    private func paste(_ items: [(Image, Transform3D)]) throws(ReconstructionError) {
        guard !items.isEmpty else { return }
        if outputScalarType == .uint8 {
            let frames: [PreparedFrame<UInt8>] = try prepare(items)
            run(frames, voxels: &voxelsUInt8)
        } else {
            let frames: [PreparedFrame<Float>] = try prepare(items)
            run(frames, voxels: &voxelsFloat)
        }
    }

    private func prepare<V: PasteVoxel>(_ items: [(Image, Transform3D)]) throws(ReconstructionError) -> [PreparedFrame<V>] {
        var frames: [PreparedFrame<V>] = []
        frames.reserveCapacity(items.count)
        for (image, m) in items {
            guard image.components == 1 else {
                throw .unsupportedFrame("\(image.components)-component frames are not supported; convert to grey levels first")
            }
            if let s = importanceSize, s != SIMD2(image.width, image.height) {
                throw .importanceMask(path: settings.importanceMaskFilename ?? "(image)",
                                      reason: "mask is \(s.x)x\(s.y) but the frame is \(image.width)x\(image.height)")
            }
            var angles = settings.fanAnglesDeg
            if let detector = fanDetector {
                guard let detected = detector.detect(in: image) else {
                    statistics.framesSkippedEmpty += 1
                    continue
                }
                angles = detected
            }
            let key = MaskKey(width: image.width, height: image.height, left: angles.x, right: angles.y)
            let mask: PixelMask
            if let cached = maskCache[key] {
                mask = cached
            } else {
                mask = PixelMask(width: image.width, height: image.height, settings: settings, fanAnglesDeg: angles)
                if maskCache.count > 64 { maskCache.removeAll() }
                maskCache[key] = mask
            }
            let mapping = FrameMapping(imageToReference: m, grid: geometry)
            guard mapping.isFinite else {
                statistics.framesSkippedInvalidTransform += 1
                continue
            }
            frames.append(PreparedFrame(pixels: V.pixels(of: image), width: image.width, height: image.height,
                                        mapping: mapping, mask: mask))
        }
        return frames
    }

    private func run<V: PasteVoxel>(_ frames: [PreparedFrame<V>], voxels: inout [V]) {
        guard !frames.isEmpty else { return }
        let fixed = settings.optimization == .full || settings.optimization == .opencl
        let useFixed = fixed && FrameMapping.fixedPointFits(geometry)
        let slabs = SlabPartition.slabs(depth: geometry.dimensions.z, count: threadCount, load: estimatedLoad(frames))
        var perSlab = [PasteCounts](repeating: PasteCounts(), count: slabs.count)
        let settings = self.settings
        let dims = geometry.dimensions
        let importance = self.importance
        let kernels = self.kernels
        voxels.withSharedBuffer { vox in
            accumulationBuffer.withSharedBuffer { acc in
                perSlab.withSharedBuffer { counts in
                    let target = PasteTarget(voxels: vox, accumulation: acc, dimensions: dims,
                                             interpolation: settings.interpolation, compounding: settings.compoundingMode,
                                             fixedPoint: useFixed, rejectBelow: settings.pixelRejectionThreshold,
                                             importance: importance, kernels: kernels)
                    let work: @Sendable (Int) -> Void = { i in
                        var c = PasteCounts()
                        for f in frames { c = c + SlicePaster.paste(f, into: target, zRange: slabs[i]) }
                        counts[i] = c
                    }
                    if slabs.count == 1 { work(0) } else { DispatchQueue.concurrentPerform(iterations: slabs.count, execute: work) }
                }
            }
        }
        let total = perSlab.reduce(PasteCounts(), +)
        lastBatchWorkShares = perSlab.map { total.voxelUpdates > 0 ? Double($0.voxelUpdates) / Double(total.voxelUpdates) : 0 }
        statistics.framesPasted += frames.count
        statistics.pixelsPasted += total.pixels
        statistics.voxelUpdates += total.voxelUpdates
        statistics.accumulationOverflows += total.accumulationOverflows
    }

    /// Pixels per output z slice, assuming each frame's pixels spread evenly over the z range
    /// its masked bounding box covers.
    private func estimatedLoad<V>(_ frames: [PreparedFrame<V>]) -> [Double] {
        let depth = geometry.dimensions.z
        var load = [Double](repeating: 0, count: depth)
        guard threadCount > 1 else { return load }
        for f in frames where f.mask.firstRow <= f.mask.lastRow {
            let m = f.mapping
            var zMin = Double.greatestFiniteMagnitude, zMax = -Double.greatestFiniteMagnitude
            for (x, y) in [(0, f.mask.firstRow), (f.width - 1, f.mask.firstRow), (0, f.mask.lastRow), (f.width - 1, f.mask.lastRow)] {
                let z = m.origin.z + Double(x) * m.xAxis.z + Double(y) * m.yAxis.z
                zMin = min(zMin, z); zMax = max(zMax, z)
            }
            let lo = max(0, PlusRounding.clampedInt(zMin.rounded(.down))), hi = min(depth - 1, PlusRounding.clampedInt(zMax.rounded(.up)))
            guard lo <= hi else { continue }
            let share = Double(f.width * (f.mask.lastRow - f.mask.firstRow + 1)) / Double(hi - lo + 1)
            for z in lo...hi { load[z] += share }
        }
        return load
    }
}
