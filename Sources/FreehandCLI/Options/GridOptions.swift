import ArgumentParser
import Live
import Reconstruction
import Recordings

/// How `listen` chooses its grid: a fixed `--origin`/`--extent`, a volume's grid (`--grid-from`,
/// as `reconstruct` takes it), the grid `reconstruct` computes for a recording
/// (`--grid-from-recording`), the configured one, or automatic from the first frames.
struct GridOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Grid origin in mm, 'x,y,z' (with --extent).") var origin: NumberList?
    @Option(parsing: .unconditional, help: "Grid extent in voxels, 'x0,x1,y0,y1,z0,z1' (inclusive, as PLUS's OutputExtent).") var extent: NumberList?
    @Option(help: ArgumentHelp("Use this volume's grid (origin, spacing, size), as `reconstruct --grid-from` does.", valueName: "volume"))
    var gridFrom: String?
    @Option(help: ArgumentHelp("Use the grid an offline reconstruction of this recording computes (to compare with `freehand reconstruct`).", valueName: "recording"))
    var gridFromRecording: String?
    @Option(help: "Automatic grid: frames used to compute it.") var autoGridFrames = 30
    @Option(help: "Automatic grid: margin added on every side (mm).") var gridMargin = 10.0

    func validate() throws {
        if let origin, origin.values.count != 3 { throw ValidationError("--origin takes 3 numbers 'x,y,z'") }
        if let extent, extent.values.count != 6 || !extent.values.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) {
            throw ValidationError("--extent takes 6 integers 'x0,x1,y0,y1,z0,z1'")
        }
        guard (1...100_000).contains(autoGridFrames) else { throw ValidationError("--auto-grid-frames must be between 1 and 100000") }
        guard gridMargin.isFinite, gridMargin >= 0, gridMargin <= 10_000 else { throw ValidationError("--grid-margin must be between 0 and 10000 mm") }
        if gridFrom != nil, gridFromRecording != nil { throw ValidationError("give --grid-from VOLUME or --grid-from-recording RECORDING, not both") }
        if gridFromRecording != nil, origin != nil { throw ValidationError("--grid-from-recording sets the grid: leave out --origin and --extent") }
        try apply(to: ReconstructionSetup.Request()).validate()
    }

    /// `--grid-from` given a recording, as listen's `--grid-from` once took (kept working).
    private var gridFromIsRecording: Bool {
        guard let gridFrom else { return false }
        return (try? VolumeSummary(path: gridFrom, valueRange: false).isSequence) ?? false
    }

    /// `request` with the fixed grid, if given.
    func apply(to request: ReconstructionSetup.Request) -> ReconstructionSetup.Request {
        var r = request
        if let o = origin?.values, o.count == 3 { r.origin = SIMD3(o[0], o[1], o[2]) }
        r.extent = extent?.values.map { Int($0) }
        if !gridFromIsRecording { r.gridVolume = gridFrom }
        return r
    }

    /// The grid for `setup`.
    func grid(_ setup: ReconstructionSetup) throws -> LiveGrid {
        try setup.liveGrid(gridFrom: gridFromRecording ?? (gridFromIsRecording ? gridFrom : nil),
                           automatic: .automatic(frames: autoGridFrames, margin: gridMargin))
    }
}
