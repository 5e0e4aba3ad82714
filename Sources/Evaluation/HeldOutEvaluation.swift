import Dispatch
import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings
import Reslicing
import Simulation

/// The held-out-frame protocol of the freehand 3-D ultrasound literature: remove frames,
/// reconstruct from the rest with each method, reslice each volume at every removed frame's
/// pose (with `Reslicer`, trilinear) and compare with the removed frame inside its clip/fan mask.
///
/// All methods reconstruct on one grid, computed from every valid frame (or the configured
/// one), so removed frames lie inside it. Volumes are kept in float so quantisation does not
/// favour any method.
public struct HeldOutEvaluation {
    /// The configuration's `<VolumeReconstruction>` (grid, clip rectangle, fan, hole filling).
    public var settings: ReconstructionSettings
    /// Calibration transforms chained with each frame's tracker transforms.
    public var calibration: TransformRepository
    /// The methods compared, in report order.
    public var methods: [EvaluationMethod]
    /// Which frames are held out.
    public var removal: FrameRemoval
    /// At most this many removed frames are scored (evenly chosen); all are still removed.
    public var maximumScoredFrames: Int
    /// The noise-free phantom, for simulator recordings.
    public var truth: Phantom?
    /// Worker threads (nil: one per core).
    public var threads: Int?

    public init(settings: ReconstructionSettings, calibration: TransformRepository, methods: [EvaluationMethod] = EvaluationMethod.allCases,
                removal: FrameRemoval, maximumScoredFrames: Int = 40, truth: Phantom? = nil, threads: Int? = nil) {
        self.settings = settings
        self.calibration = calibration
        self.methods = methods
        self.removal = removal
        self.maximumScoredFrames = maximumScoredFrames
        self.truth = truth
        self.threads = threads
    }

    /// Runs the protocol on `sequence` (named `file` in messages); `progress` gets a line per step.
    public func run(_ sequence: TrackedSequence, file: String, progress: ((String) -> Void)? = nil) throws -> EvaluationReport {
        guard !methods.isEmpty else { throw EvaluationError.noMethods }
        let name = settings.imageToReferenceName
        var valid: [(index: Int, pose: Transform3D)] = []
        for (i, f) in sequence.frames.enumerated() {
            if let m = VolumeReconstructor.imageToReference(for: f, calibration: calibration, name: name), m.elements.allSatisfy(\.isFinite) {
                valid.append((i, m))
            }
        }
        guard valid.count >= 3 else { throw EvaluationError.tooFewFrames(valid: valid.count, file: file) }
        let removed = removal.removed(count: valid.count)
        let training = valid.indices.filter { !removed[$0] }
        var held = valid.indices.filter { removed[$0] }
        if case .fraction(0) = removal { held = Array(valid.indices.dropFirst().dropLast()) }
        guard !held.isEmpty else { throw EvaluationError.nothingToScore(removal: removal.description) }
        let scored = Self.evenlyChosen(held, count: max(1, maximumScoredFrames))

        var grid = try settings.configuredGrid()
        if grid == nil {
            var builder = OutputGridBuilder(settings: settings)
            for v in valid {
                let image = sequence.frames[v.index].image
                builder.add(width: image.width, height: image.height, imageToReference: v.pose)
            }
            grid = try builder.geometry()
        }
        let geometry = grid!
        let items = training.map { (image: sequence.frames[valid[$0].index].image, imageToReference: valid[$0].pose) }
        let targets = scored.map { (frame: sequence.frames[valid[$0].index], pose: valid[$0].pose) }
        let truthImages = truth.map { phantom in
            targets.map { phantom.groundTruthImage(imageToReference: $0.pose, width: $0.frame.image.width, height: $0.frame.image.height) }
        }

        var scores: [MethodScore] = []
        var allSums: [ScoreSums] = []
        for method in methods {
            progress?("\(method.rawValue): reconstructing from \(items.count) frames")
            let start = DispatchTime.now().uptimeNanoseconds
            let (volume, coverage) = try reconstruct(method, items: items, geometry: geometry)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            progress?("\(method.rawValue): scoring \(targets.count) held-out frames")
            let sums = try score(volume: volume, coverage: coverage, targets: targets, truth: truthImages)
            guard sums.masked > 0 else { throw EvaluationError.noMaskedPixels(file: file) }
            scores.append(sums.score(method: method.rawValue, seconds: seconds, truth: truth != nil))
            allSums.append(sums)
        }
        guard scores.contains(where: { $0.pixels > 0 }) else {
            throw EvaluationError.nothingCovered(methods: methods.map(\.rawValue), removal: removal.description)
        }
        MethodScore.fillCommon(&scores, allSums)
        var floors: [MethodScore] = []
        if let truth, let truthImages {
            progress?("floors: scoring the noise-free phantom")
            floors = try self.floors(truth, geometry: geometry, targets: targets, truthImages: truthImages)
        }
        return EvaluationReport(file: file, removal: removal.description, framesValid: valid.count, framesUsed: training.count,
                                framesRemoved: removed.filter { $0 }.count, framesScored: scored.count,
                                grid: [geometry.dimensions.x, geometry.dimensions.y, geometry.dimensions.z],
                                spacing: [geometry.spacing.x, geometry.spacing.y, geometry.spacing.z], scores: scores, floors: floors)
    }

    /// What a perfect reconstruction would score (simulator recordings): the noise-free phantom
    /// image at each held-out pose (`phantom-image`: the held-out frame's own speckle, which no
    /// method can predict) and the phantom box-averaged into the grid's voxels, resliced like the
    /// methods' volumes (`phantom-grid`: adds what the voxel size and trilinear reslicing lose).
    func floors(_ phantom: Phantom, geometry: VolumeGeometry, targets: [(frame: TrackedFrame, pose: Transform3D)],
                truthImages: [[Float]]) throws -> [MethodScore] {
        var image = ScoreSums()
        for (t, target) in targets.enumerated() {
            let frame = target.frame.image, w = frame.width
            let mask = settings.pixelMask(width: w, height: frame.height)
            for y in 0..<frame.height {
                for x in 0..<w where mask[y * w + x] {
                    let e = Double(truthImages[t][y * w + x]) - frame.value(x: x, y: y)
                    image.masked += 1; image.count += 1
                    image.absolute += abs(e); image.squared += e * e
                }
            }
        }
        let ideal = phantom.boxAveragedTruth(on: geometry)
        let everywhere = Volume(geometry: geometry, voxels: [UInt8](repeating: 1, count: geometry.voxelCount))
        let grid = try score(volume: .float32(ideal), coverage: everywhere, targets: targets, truth: truthImages)
        return [image.score(method: "phantom-image", seconds: 0, truth: true), grid.score(method: "phantom-grid", seconds: 0, truth: true)]
    }

    /// Up to `count` of `items`, evenly spread, in order.
    static func evenlyChosen<T>(_ items: [T], count: Int) -> [T] {
        guard items.count > count else { return items }
        return (0..<count).map { items[$0 * items.count / count] }
    }

    /// The method's volume (float) and its coverage (1 where a voxel has a value).
    func reconstruct(_ method: EvaluationMethod, items: [(image: Image, imageToReference: Transform3D)],
                     geometry: VolumeGeometry) throws -> (AnyVolume, Volume<UInt8>) {
        let s = method.settings(from: settings)
        if !method.isPlus {
            let r = try BackwardReconstructor(settings: s, geometry: geometry, outputScalarType: .float32, threads: threads)
            try r.add(images: items)
            let result = try r.reconstruct()
            return (result.volume, result.coverage)
        }
        let r = try VolumeReconstructor(settings: s, geometry: geometry, outputScalarType: .float32, threads: threads)
        try r.add(images: items)
        let accumulation = r.accumulation().voxels
        let filled = HoleFiller(elements: s.holeFilling, numberOfThreads: threads ?? 0).fill(r.volumeFloat()!, accumulation: accumulation)
        var covered = [UInt8](repeating: 0, count: accumulation.count)
        for i in covered.indices where accumulation[i] != 0 || filled.voxels[i] != 0 { covered[i] = 1 }
        return (.float32(filled), Volume(geometry: geometry, voxels: covered))
    }

    /// Reslices `volume` and `coverage` at every target pose and sums the errors inside the masks.
    func score(volume: AnyVolume, coverage: Volume<UInt8>, targets: [(frame: TrackedFrame, pose: Transform3D)],
               truth: [[Float]]?) throws -> ScoreSums {
        let values = try Reslicer(volume: volume, interpolation: .linear, threads: threads)
        let covered = try Reslicer(volume: .uint8(coverage), interpolation: .nearest, threads: threads)
        var sums = ScoreSums()
        var masks: [SIMD2<Int>: [Bool]] = [:]
        for (t, target) in targets.enumerated() {
            let image = target.frame.image
            let w = image.width, h = image.height
            let m = target.pose
            let geometry = SliceGeometry(width: w, height: h, spacing: SIMD2(max(1e-6, length(m.column(0))), max(1e-6, length(m.column(1)))))
            let pose = [SlicePose(imageToReference: m, timestamp: target.frame.timestamp)]
            var slice: Reslicer.Slice?, hit: Reslicer.Slice?
            try values.run(poses: pose, geometry: geometry) { _, s in slice = s }
            try covered.run(poses: pose, geometry: geometry) { _, s in hit = s }
            let mask = masks[SIMD2(w, h)] ?? settings.pixelMask(width: w, height: h)
            masks[SIMD2(w, h)] = mask
            let resliced = slice!.image, coverageSlice = hit!.image
            for y in 0..<h {
                for x in 0..<w where mask[y * w + x] {
                    sums.masked += 1
                    guard coverageSlice[x, y] != 0 else {
                        sums.uncovered += 1
                        sums.errors.append(.nan)
                        if truth != nil { sums.truthErrors.append(.nan) }
                        continue
                    }
                    let r = resliced.value(x: x, y: y)
                    let e = r - image.value(x: x, y: y)
                    sums.absolute += abs(e); sums.squared += e * e; sums.count += 1
                    sums.errors.append(Float(abs(e)))
                    if let truth {
                        let g = r - Double(truth[t][y * w + x])
                        sums.truthAbsolute += abs(g); sums.truthSquared += g * g
                        sums.truthErrors.append(Float(abs(g)))
                    }
                }
            }
        }
        return sums
    }

    private func length(_ v: SIMD3<Double>) -> Double { (v * v).sum().squareRoot() }
}
