import ArgumentParser
import Evaluation
import Foundation
import Reconstruction
import Recordings
import Simulation

/// `freehand evaluate`: the held-out-frame protocol, comparing reconstruction methods.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Score reconstruction methods on held-out frames (remove frames, reconstruct, reslice, compare).",
        discussion: """
        Removes frames (evenly, or every k-th; the first and last are kept), reconstructs from the \
        rest with each method on one grid, reslices each volume at every removed frame's pose \
        (trilinear) and compares with the removed frame inside its clip rectangle and fan: mean \
        absolute error, RMSE and the fraction of pixels not covered. With --remove 0% nothing is \
        removed and frames that were used are scored. When <recording>.truth.json (written by \
        `freehand simulate`) is beside the recording, the error to the noise-free phantom is \
        reported too, with the floors a perfect reconstruction scores (the noise-free image at the \
        held-out pose, and the phantom averaged into the grid). PLUS methods use MEAN compounding \
        and the configuration's hole-filling kernels (STICK 9/1 when none). --spacing puts every \
        method on another grid, e.g. the pixel size.

        Example: freehand evaluate Recordings/phantom-sweep.igs.mha --remove 50%
        """)

    @Argument(help: "The recorded sequence.")
    var recording = "Recordings/phantom-sweep.igs.mha"

    @Option(name: .shortAndLong, help: "PLUS device-set configuration (calibration + <VolumeReconstruction>). Default: <recording>.config.xml.")
    var config: String?

    @Option(help: "Comma-separated methods: \(EvaluationMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
    var method: String?

    @Option(help: "Frames held out: 0%, 25%, 50%, 75% (any fraction), or every-k.")
    var remove = "50%"

    @Option(help: "Score at most this many held-out frames (evenly chosen).")
    var maxScoredFrames = 40

    @Option(help: "Noise-free ground truth (default: <recording>.truth.json when present).")
    var truth: String?

    @OptionGroup var spacingThreads: SpacingThreadsOptions

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard FrameRemoval(remove) != nil else { throw ValidationError("--remove \(remove): expected a percentage below 100% (e.g. 50%) or every-k with k >= 2") }
        _ = try methods()
        guard maxScoredFrames >= 1 else { throw ValidationError("--max-scored-frames must be at least 1") }
    }

    func methods() throws -> [EvaluationMethod] {
        guard let method else { return EvaluationMethod.allCases }
        return try method.split(separator: ",").map { name in
            guard let m = EvaluationMethod(rawValue: name.trimmingCharacters(in: .whitespaces).lowercased()) else {
                throw ValidationError("--method \(name): expected one of \(EvaluationMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return m
        }
    }

    func run() throws {
        var request = ReconstructionSetup.Request(recording: recording, config: config)
        request.spacing = spacingThreads.spacing
        let setup = try ReconstructionSetup(request)
        guard let settings = setup.settings else {
            throw ValidationError("no <VolumeReconstruction> settings: pass --config PlusDeviceSet.xml (or put \(SequenceFile.stem(of: recording)).config.xml beside the recording), or --spacing")
        }
        let truthPath = truth ?? [SequenceFile.stem(of: recording) + ".truth.json"].first { FileManager.default.fileExists(atPath: $0) }
        let phantom = try truthPath.map { try Phantom(truthFile: $0) }
        let evaluation = HeldOutEvaluation(settings: settings, calibration: setup.calibration, methods: try methods(),
                                           removal: FrameRemoval(remove)!, maximumScoredFrames: maxScoredFrames,
                                           truth: phantom, threads: spacingThreads.threads)
        let sequence = try SequenceFile.read(recording)
        let quiet = json
        let report = try evaluation.run(sequence, file: recording) { line in
            if !quiet { FileHandle.standardError.write(Data(("freehand: " + line + "\n").utf8)) }
        }
        print(json ? report.json : report.table)
    }
}
