import Geometry
import Imaging
import Reconstruction
import Recordings

/// Compounds paired frames into a growing volume as they arrive, on a fixed grid or on one
/// computed from the first frames, and hands out snapshots.
public final class LiveCompounder {
    /// The reconstruction rules.
    public let settings: ReconstructionSettings
    /// The grid policy.
    public let grid: LiveGrid
    private let threads: Int?
    private let memoryBudget: MemoryBudget
    private let importanceMask: Image?
    /// The reconstructor, once the grid is known.
    public private(set) var reconstructor: VolumeReconstructor?
    private var waiting: [(image: Image, imageToReference: Transform3D)] = []
    /// Frames pasted so far (frames waiting for an automatic grid not included).
    public private(set) var framesCompounded = 0
    /// Frames left out by `SkipInterval`.
    public private(set) var framesSkippedByInterval = 0
    private var framesSeen = 0

    /// A compounder with `settings`' rules on `grid`; `importanceMask` weights pixels for
    /// IMPORTANCE_MASK compounding (`ReconstructionSetup.importanceMask()`).
    public init(settings: ReconstructionSettings, grid: LiveGrid, threads: Int? = nil, memoryBudget: MemoryBudget = .default,
                importanceMask: Image? = nil) throws {
        self.settings = settings
        self.grid = grid
        self.threads = threads
        self.memoryBudget = memoryBudget
        self.importanceMask = importanceMask
        if case .fixed(let g) = grid { try makeReconstructor(g) }
    }

    /// The output grid, once known.
    public var geometry: VolumeGeometry? { reconstructor?.geometry }

    /// Frames that could not be pasted (e.g. RGB), with the reason for the last one.
    public private(set) var framesRefused = 0
    public private(set) var lastRefusal: String?

    /// Pastes valid frames in order (invalid ones are ignored here; the caller counts them);
    /// `SkipInterval` counts every frame, as the offline pipeline counts file frames. A frame the
    /// reconstructor refuses (e.g. RGB) is counted in `framesRefused`; only the grid (memory
    /// budget) can make this throw. Returns how many were pasted now.
    @discardableResult
    public func add(_ frames: [PairedFrame]) throws -> Int {
        let step = max(1, settings.skipInterval)
        var items: [(image: Image, imageToReference: Transform3D)] = []
        for f in frames {
            let index = framesSeen
            framesSeen += 1
            guard index % step == 0 else { framesSkippedByInterval += 1; continue }
            guard let m = f.imageToReference else { continue }
            items.append((f.image, m))
        }
        guard !items.isEmpty else { return 0 }
        if reconstructor == nil {
            waiting += items
            guard case .automatic(let n, _) = grid, waiting.count >= max(1, n) else { return 0 }
            try makeAutomaticGrid()
            items = waiting
            waiting = []
        }
        return paste(items)
    }

    /// Pastes a batch; if the reconstructor refuses it, pastes frame by frame, skipping refusals.
    private func paste(_ items: [(image: Image, imageToReference: Transform3D)]) -> Int {
        do {
            try reconstructor!.add(images: items)
            framesCompounded += items.count
            return items.count
        } catch {
            var pasted = 0
            for item in items {
                do {
                    try reconstructor!.add(image: item.image, imageToReference: item.imageToReference)
                    pasted += 1
                } catch {
                    framesRefused += 1
                    lastRefusal = "\(error)"
                }
            }
            framesCompounded += pasted
            return pasted
        }
    }

    /// Creates the automatic grid from the frames received so far (end of a short session).
    public func finishGrid() throws {
        guard reconstructor == nil, !waiting.isEmpty else { return }
        try makeAutomaticGrid()
        _ = paste(waiting)
        waiting = []
    }

    /// Fraction of voxels hit so far.
    public var coverage: Double { reconstructor?.coverage ?? 0 }

    /// The volume as it is now, without hole filling.
    public func snapshot() -> AnyVolume? {
        guard let r = reconstructor else { return nil }
        if let v = r.volumeUInt8() { return .uint8(v) }
        return r.volumeFloat().map { .float32($0) }
    }

    /// The volume with the configured hole filling applied when `fillHoles` (as the offline
    /// pipeline does at its end).
    public func finalVolume(fillHoles: Bool) -> AnyVolume? {
        guard let r = reconstructor else { return nil }
        let fill = fillHoles && !settings.holeFilling.isEmpty
        let filler = HoleFiller(elements: settings.holeFilling, numberOfThreads: threads ?? settings.numberOfThreads)
        if let v = r.volumeUInt8() { return .uint8(fill ? filler.fill(v, accumulation: r.accumulation().voxels) : v) }
        guard let v = r.volumeFloat() else { return nil }
        return .float32(fill ? filler.fill(v, accumulation: r.accumulation().voxels) : v)
    }

    private func makeAutomaticGrid() throws {
        guard case .automatic(_, let margin) = grid else { return }
        var builder = OutputGridBuilder(settings: settings)
        for w in waiting { builder.add(width: w.image.width, height: w.image.height, imageToReference: w.imageToReference) }
        var g = try builder.geometry()
        if margin > 0 {
            for d in 0..<3 {
                let extra = Int((margin / g.spacing[d]).rounded(.up))
                g.origin[d] -= Double(extra) * g.spacing[d]
                g.dimensions[d] += 2 * extra
            }
        }
        try makeReconstructor(g)
    }

    private func makeReconstructor(_ g: VolumeGeometry) throws {
        reconstructor = try VolumeReconstructor(settings: settings, geometry: g, outputScalarType: .uint8,
                                                threads: threads, importanceMask: importanceMask, memoryBudget: memoryBudget)
    }
}
