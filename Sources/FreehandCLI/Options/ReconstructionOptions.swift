import ArgumentParser
import Reconstruction

/// Overrides of the configuration's `<VolumeReconstruction>` rules and the resources a
/// reconstruction may use (reconstruct, listen).
struct ReconstructionOptions: ParsableArguments {
    @OptionGroup var spacingThreads: SpacingThreadsOptions

    @Option(help: "plus (PLUS splatting, default), or a backward method: vnn (voxel nearest neighbour), dw (distance-weighted), trajectory.")
    var method: MethodChoice?

    @Option(help: "nearest or linear.")
    var interpolation: InterpolationChoice?

    @Option(help: "latest, mean, maximum or importance-mask.")
    var compounding: CompoundingChoice?

    @Flag(inversion: .prefixedNo,
          help: "Fill never-hit voxels with the configured <HoleFilling> kernels (a STICK kernel when none is configured). Default: the configuration's FillHoles.")
    var fillHoles: Bool?

    @Option(help: "Use every n-th frame.")
    var skipInterval: Int?

    @Option(help: "Refuse grids whose volume + accumulation buffer exceed this many GiB (default: half the memory); listen: also bounds the frames kept to grow an automatic grid.")
    var maxMemory: Double?

    func validate() throws {
        try apply(to: ReconstructionSetup.Request()).validate()
        if let maxMemory, !(maxMemory.isFinite && maxMemory > 0 && maxMemory <= 1_048_576) {
            throw ValidationError("--max-memory must be a positive number of GiB (at most 1048576)")
        }
    }

    /// `request` with these overrides.
    func apply(to request: ReconstructionSetup.Request) -> ReconstructionSetup.Request {
        var r = request
        r.spacing = spacingThreads.spacing
        r.interpolation = interpolation?.value
        r.method = method?.value
        r.compounding = compounding?.value
        r.fillHoles = fillHoles
        r.skipInterval = skipInterval
        return r
    }

    /// `--threads`.
    var threads: Int? { spacingThreads.threads }

    /// `--max-memory` as a budget (default: half the machine's memory).
    var memoryBudget: MemoryBudget {
        maxMemory.map { MemoryBudget(limitBytes: Int($0 * 1_073_741_824)) } ?? .default
    }
}
