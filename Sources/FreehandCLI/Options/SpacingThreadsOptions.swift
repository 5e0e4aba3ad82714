import ArgumentParser
import Reconstruction

/// The voxel size and worker threads every volume-building command takes (reconstruct, listen,
/// evaluate).
struct SpacingThreadsOptions: ParsableArguments {
    @Option(help: "Voxel size in mm (one value, or three: x y z); overrides the configuration.")
    var spacing: [Double] = []

    @Option(help: "Worker threads (default: one per core). The result is identical for any count.")
    var threads: Int?

    func validate() throws {
        var request = ReconstructionSetup.Request()
        request.spacing = spacing
        try request.validate()
        if let threads, !(1...1024).contains(threads) { throw ValidationError("--threads must be between 1 and 1024") }
    }
}
