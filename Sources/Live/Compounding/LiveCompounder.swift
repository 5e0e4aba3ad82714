import Foundation
import Geometry
import Imaging
import Reconstruction
import Recordings

/// Compounds paired frames into a growing volume as they arrive and hands out snapshots.
///
/// On a fixed grid, frames reaching outside it are clipped and counted (`framesPartlyOutside`,
/// `framesOutside`). On an automatic grid, the first frames give a working grid (with a margin)
/// and the grid grows whenever a frame reaches outside it: the frames pasted so far are kept and
/// pasted again into the larger grid (`GrowingGrid`), and `finishGrid()` pastes them once more
/// into PLUS's exact automatic extent, so the final volume is the one `freehand reconstruct`
/// computes for the same frames. The kept frames and the grid together stay within
/// `memoryBudget`; when they would not, the grid stops growing (`gridFrozen` says why) and
/// frames outside it are counted as on a fixed grid.
public final class LiveCompounder {
    /// An image and where it goes.
    typealias Item = (image: Image, imageToReference: Transform3D)
    /// The reconstruction rules.
    public let settings: ReconstructionSettings
    /// The grid policy.
    public let grid: LiveGrid
    private let threads: Int?
    private let memoryBudget: MemoryBudget
    private let importanceMask: Image?
    /// The reconstructor, once the grid is known.
    public private(set) var reconstructor: VolumeReconstructor?
    private var waiting: [Item] = []
    private var waitingBytes = 0
    /// The automatic grid's extent and kept frames, while the grid may still grow.
    private var growing: GrowingGrid?
    private var notices: [String] = []
    /// Frames pasted so far (frames waiting for an automatic grid not included).
    public private(set) var framesCompounded = 0
    /// Frames left out by `SkipInterval`.
    public private(set) var framesSkippedByInterval = 0
    private var framesSeen = 0
    /// How often the automatic grid grew (every kept frame pasted again each time).
    public private(set) var gridGrowths = 0
    /// Why the automatic grid stopped growing (the memory bound, or poses spanning too far), nil while it grows or on a fixed grid.
    public private(set) var gridFrozen: String?

    /// A compounder with `settings`' rules on `grid`; `importanceMask` weights pixels for
    /// IMPORTANCE_MASK compounding (`ReconstructionSetup.importanceMask()`). `memoryBudget` bounds
    /// the grid and, on an automatic grid, the frames kept for re-pasting.
    public init(settings: ReconstructionSettings, grid: LiveGrid, threads: Int? = nil, memoryBudget: MemoryBudget = .default,
                importanceMask: Image? = nil) throws {
        self.settings = settings
        self.grid = grid
        self.threads = threads
        self.memoryBudget = memoryBudget
        self.importanceMask = importanceMask
        switch grid {
        case .fixed(let g): try makeReconstructor(g)
        case .automatic(_, let margin): growing = GrowingGrid(settings: settings, margin: margin)
        }
    }

    /// The output grid, once known.
    public var geometry: VolumeGeometry? { reconstructor?.geometry }

    /// Whether frames outside the grid are clipped and counted (a fixed grid, or an automatic
    /// one that stopped growing) rather than making the grid grow.
    public var isGridFixed: Bool {
        if case .fixed = grid { return true }
        return gridFrozen != nil
    }

    /// Frames pasted whose image reaches outside the grid (clipped), and frames wholly outside
    /// it (pasted nothing), counted on a fixed grid or once the automatic grid stopped growing.
    public private(set) var framesPartlyOutside = 0
    public private(set) var framesOutside = 0

    /// Frames that could not be pasted (e.g. RGB), with the reason for the last one.
    public private(set) var framesRefused = 0
    public private(set) var lastRefusal: String?

    /// Notices since the last call (grid grown, grid stopped growing), for the user.
    public func takeNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }

    /// Pastes valid frames in order (invalid ones are ignored here; the caller counts them);
    /// `SkipInterval` counts every frame, as the offline pipeline counts file frames, and every
    /// posed frame counts for the automatic extent. A frame the reconstructor refuses (e.g. RGB)
    /// is counted in `framesRefused`, and so is, on an automatic grid, a frame whose pose puts a
    /// corner beyond `GrowingGrid.farthest` (it never enters the extent); only the grid (memory
    /// budget) can make this throw. Returns how many were pasted now.
    @discardableResult
    public func add(_ frames: [PairedFrame]) throws -> Int {
        let step = max(1, settings.skipInterval)
        var items: [Item] = []
        for f in frames {
            let index = framesSeen
            framesSeen += 1
            if let m = f.imageToReference, growing != nil {
                if let why = GrowingGrid.absurdity(width: f.image.width, height: f.image.height, imageToReference: m) {
                    framesRefused += 1
                    lastRefusal = "frame \(index): \(why)"
                    continue
                }
                growing?.include(width: f.image.width, height: f.image.height, imageToReference: m)
            }
            guard index % step == 0 else { framesSkippedByInterval += 1; continue }
            guard let m = f.imageToReference else { continue }
            items.append((f.image, m))
        }
        guard !items.isEmpty else { return 0 }
        if reconstructor == nil {
            waiting += items
            waitingBytes &+= GrowingGrid.bytes(of: items)
            guard case .automatic(let n, _) = grid, waiting.count >= max(1, n) || waitingBytes > memoryBudget.limitBytes / 4,
                  let growing else { return 0 }
            try startGrid(try growing.initial(), or: try growing.exact())
            items = waiting
            waiting = []
            waitingBytes = 0
        } else if let growing, let g = geometry, !growing.isCovered(by: g) {
            try grow(from: g)
        }
        return paste(items)
    }

    /// Pastes a batch (if the reconstructor refuses it, frame by frame, skipping refusals),
    /// counts frames outside a fixed grid and keeps the pasted frames of a growing one.
    private func paste(_ items: [Item]) -> Int {
        if growing == nil, let g = geometry {
            for item in items {
                switch Self.placement(width: item.image.width, height: item.image.height, imageToReference: item.imageToReference, in: g) {
                case .inside: break
                case .partlyOutside: framesPartlyOutside += 1
                case .outside: framesOutside += 1
                }
            }
        }
        let (pasted, refusals) = pasteIntoGrid(items)
        framesRefused += refusals.count
        if let last = refusals.last { lastRefusal = "\(last)" }
        framesCompounded += pasted.count
        keep(pasted)
        return pasted.count
    }

    /// Pastes `items` as one batch or, when the reconstructor refuses the batch, one by one;
    /// returns the items pasted and the refusals.
    private func pasteIntoGrid(_ items: [Item]) -> (pasted: [Item], refusals: [any Error]) {
        do {
            try reconstructor!.add(images: items)
            return (items, [])
        } catch {
            var pasted: [Item] = [], refusals: [any Error] = []
            for item in items {
                do {
                    try reconstructor!.add(image: item.image, imageToReference: item.imageToReference)
                    pasted.append(item)
                } catch {
                    refusals.append(error)
                }
            }
            return (pasted, refusals)
        }
    }

    /// Creates the grid at the end of a session too short for an automatic grid, and on an
    /// automatic grid pastes the kept frames once more into PLUS's exact automatic extent of
    /// every frame received (the grid `freehand reconstruct` computes), when it differs from the
    /// working grid and fits the memory budget (else the working grid stays, with a notice).
    public func finishGrid() throws {
        guard let growing, reconstructor != nil || !waiting.isEmpty else { return }
        let exact = try growing.exact()
        if reconstructor == nil {
            try startGrid(exact, or: exact)
            _ = paste(waiting)
            waiting = []
            waitingBytes = 0
        } else if exact != geometry {
            guard fits(exact) else {
                gridFrozen = "--max-memory \(limit): the exact automatic extent \(exact.summary) and the \(growing.frames.count) kept frames do not fit together"
                notices.append("\(gridFrozen!); the volume keeps the working grid \(geometry!.summary)")
                self.growing = nil
                return
            }
            try regrid(exact)
        }
        self.growing = nil
    }

    /// Fraction of voxels hit so far.
    public var coverage: Double { reconstructor?.coverage ?? 0 }

    /// The volume as it is now, without hole filling.
    public func snapshot() -> AnyVolume? {
        guard let r = reconstructor else { return nil }
        if let v = r.volumeUInt8() { return .uint8(v) }
        return r.volumeFloat().map { .float32($0) }
    }

    /// Why a volume now would hold nothing, with what became of the frames received so far;
    /// nil once a voxel was hit. `snapshot()` and `finalVolume` give a volume whenever the grid
    /// exists; this tells whether it is worth writing or sending.
    public var emptyCause: String? {
        var fate = "\(framesSeen) frame(s) received"
        if framesOutside > 0 { fate += ", \(framesOutside) wholly outside the grid" }
        if framesRefused > 0 { fate += ", \(framesRefused) refused" + (lastRefusal.map { " (last: \($0))" } ?? "") }
        if framesSkippedByInterval > 0 { fate += ", \(framesSkippedByInterval) skipped by SkipInterval" }
        guard let r = reconstructor else {
            return waiting.isEmpty ? "no frame with a valid pose was compounded (\(fate))"
                : "the automatic grid still waits for its first frames (\(waiting.count) so far; \(fate))"
        }
        guard let cause = r.emptyCause else { return nil }
        if framesCompounded == 0 { return "no frame with a valid pose was compounded on the grid \(r.geometry.summary) (\(fate))" }
        if framesOutside == framesCompounded { return "every frame lies wholly outside the grid \(r.geometry.summary) (\(fate))" }
        return cause + " (\(fate))"
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

    enum Placement { case inside, partlyOutside, outside }

    /// Where a frame's pixel centres fall relative to the voxels of `g` (identity direction).
    static func placement(width: Int, height: Int, imageToReference m: Transform3D, in g: VolumeGeometry) -> Placement {
        let w = Double(max(0, width - 1)), h = Double(max(0, height - 1))
        let corners = [SIMD3(0, 0, 0), SIMD3(w, 0, 0), SIMD3(0, h, 0), SIMD3(w, h, 0)].map { (m.apply($0) - g.origin) / g.spacing }
        let low = SIMD3<Double>(repeating: -0.5), high = SIMD3<Double>(Double(g.dimensions.x), Double(g.dimensions.y), Double(g.dimensions.z)) - 0.5
        var lo = corners[0], hi = corners[0]
        for c in corners.dropFirst() { lo = pointwiseMin(lo, c); hi = pointwiseMax(hi, c) }
        guard lo.x.isFinite, hi.x.isFinite, lo.y.isFinite, hi.y.isFinite, lo.z.isFinite, hi.z.isFinite else { return .outside }
        if any(hi .< low) || any(lo .> high) { return .outside }
        if any(lo .< low) || any(hi .> high) { return .partlyOutside }
        return .inside
    }

    /// The first grid of an automatic session: `preferred` (with its margin) when it and the
    /// waiting frames fit the memory budget, else `fallback` (the exact extent so far); when
    /// neither leaves room for keeping the frames, the grid is fixed from the start.
    private func startGrid(_ preferred: VolumeGeometry, or fallback: VolumeGeometry) throws {
        for g in [preferred, fallback] where fits(g, plus: waitingBytes) {
            try makeReconstructor(g)
            return
        }
        try makeReconstructor(fallback)
        freeze("\(waiting.count) frames (\(formatBytes(waitingBytes))) and the grid do not fit together")
    }

    /// Grows the working grid `g` to cover every frame so far and pastes the kept frames again;
    /// stops growing when even the smallest such grid does not fit beside the kept frames.
    private func grow(from g: VolumeGeometry) throws {
        guard let growing else { return }
        let wide: VolumeGeometry, tight: VolumeGeometry
        do {
            wide = try growing.grown(g)
            tight = try growing.grown(g, headroom: false)
        } catch {
            freeze("the poses span too far: \(error)", memory: false)
            return
        }
        for c in [wide, tight] where fits(c) {
            try regrid(c)
            gridGrowths += 1
            notices.append("grid grown to \(c.summary): \(growing.frames.count) frames pasted again")
            return
        }
        freeze("a grid for every frame so far (\(tight.summary)) and the \(growing.frames.count) kept frames (\(formatBytes(growing.frameBytes))) do not fit together")
    }

    /// Replaces the grid by `g` and pastes the kept frames into it, in their order.
    private func regrid(_ g: VolumeGeometry) throws {
        guard let frames = growing?.frames else { return }
        reconstructor = nil
        try makeReconstructor(g)
        // Kept frames were all pasted once, so the reconstructor takes them again.
        for start in stride(from: 0, to: frames.count, by: 64) {
            _ = pasteIntoGrid(Array(frames[start..<min(frames.count, start + 64)]))
        }
    }

    /// Keeps pasted frames of a growing grid, unless they would not fit beside the grid (then
    /// the grid stops growing).
    private func keep(_ pasted: [Item]) {
        guard let growing, !pasted.isEmpty, let g = geometry else { return }
        let bytes = GrowingGrid.bytes(of: pasted)
        let gridBytes = MemoryBudget.requiredBytes(for: g, scalarType: .uint8)?.bytes ?? Int.max
        let (total, overflow) = gridBytes.addingReportingOverflow(growing.frameBytes &+ bytes)
        guard !overflow, total <= memoryBudget.limitBytes else {
            freeze("keeping \(growing.frames.count + pasted.count) frames (\(formatBytes(growing.frameBytes &+ bytes))) beside the grid would exceed it")
            return
        }
        self.growing!.keep(pasted)
    }

    /// Whether grid `g` fits the memory budget beside the kept frames and `extra` bytes.
    private func fits(_ g: VolumeGeometry, plus extra: Int = 0) -> Bool {
        let kept = (growing?.frameBytes ?? 0) &+ extra
        guard kept >= 0, kept < memoryBudget.limitBytes else { return false }
        return (try? MemoryBudget(limitBytes: memoryBudget.limitBytes - kept).check(g, scalarType: .uint8)) != nil
    }

    /// Stops growing: the kept frames are released, the grid stays as it is, and frames outside
    /// it are clipped and counted from now on.
    private func freeze(_ reason: String, memory: Bool = true) {
        growing = nil
        gridFrozen = memory ? "--max-memory \(limit): " + reason : reason
        let grid = geometry.map { " at \($0.summary)" } ?? ""
        notices.append("the grid stops growing\(grid) (\(gridFrozen!)); frames outside it are clipped and counted, and the volume will not be the exact automatic extent")
    }

    /// The memory limit as `--max-memory` takes it (`0.006 GiB`).
    private var limit: String { String(format: "%.3g GiB", Double(memoryBudget.limitBytes) / 1_073_741_824) }

    private func makeReconstructor(_ g: VolumeGeometry) throws {
        reconstructor = try VolumeReconstructor(settings: settings, geometry: g, outputScalarType: .uint8,
                                                threads: threads, importanceMask: importanceMask, memoryBudget: memoryBudget)
    }
}
