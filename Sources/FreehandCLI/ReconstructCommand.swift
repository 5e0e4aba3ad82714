import ArgumentParser
import Foundation
import Imaging
import Reconstruction

/// `freehand reconstruct`: a tracked sequence file in, a 3-D volume out.
struct ReconstructCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reconstruct",
        abstract: "Reconstruct a 3-D volume from a recorded tracked ultrasound sequence.",
        discussion: """
        Reads a PLUS sequence (.igs.mha, .mha, .mhd, .igs.nrrd, Slicer .seq.nrrd) and a PLUS \
        device-set configuration whose <CoordinateDefinitions> hold the calibration (ImageToProbe, ...) \
        and whose <VolumeReconstruction> element holds the settings, as PLUS's VolumeReconstructor \
        does. Without --config, <recording>.config.xml beside the recording is used when present. \
        Options below override the configuration.

        Example: freehand reconstruct Recordings/phantom-sweep.igs.mha -o phantom.nrrd --preview phantom.png
        """
    )

    @Argument(help: "The recorded sequence.")
    var recording = "Recordings/phantom-sweep.igs.mha"

    @OptionGroup var configuration: ConfigurationOptions
    @OptionGroup var reconstruction: ReconstructionOptions

    @Option(name: .shortAndLong, help: "Output volume (.nrrd, .mha or .mhd). Default: <recording name>.nrrd in the current folder.")
    var output: String?

    @Option(help: "Also write a picture (PNG) of the volume: maximum-intensity projections along z, y and x.")
    var preview: String?

    @Option(help: "Also write the accumulation (weight) volume (.nrrd, .mha): 256 per full-weight hit.")
    var accumulation: String?

    @Flag(help: "Write the volumes' voxels without compression (PLUS's --disable-compression).")
    var uncompressed = false

    @Flag(help: "Write 32-bit float voxels instead of 8-bit.")
    var float = false

    @OptionGroup var tracker: TrackerOptions

    @Option(help: ArgumentHelp("Reconstruct on this volume's grid (origin, spacing, size), e.g. to map `freehand reslice` slices back onto the volume they came from.", valueName: "volume"))
    var gridFrom: String?

    @Flag(help: "Write the volume even when (almost) no pixel lands in it, instead of failing with the cause.")
    var allowEmpty = false

    @Flag(name: .shortAndLong, help: "No progress bar or summary.")
    var quiet = false

    func run() throws {
        let start = Date()
        let outputs = RecordingReconstruction.Result.Outputs(
            volume: output ?? ReconstructionSetup.defaultOutputPath(for: recording), accumulation: accumulation, preview: preview,
            compressed: !uncompressed)
        var request = tracker.apply(to: reconstruction.apply(to: configuration.request(recording: recording)))
        request.outputs = outputs.requested
        request.gridVolume = gridFrom
        let setup = try ReconstructionSetup(request)
        for notice in setup.notices { FileHandle.standardError.write(Data((notice + "\n").utf8)) }
        var pipeline = try setup.pipeline(threads: reconstruction.threads, memoryBudget: reconstruction.memoryBudget,
                                          outputScalarType: float ? .float32 : .uint8)
        pipeline.allowEmpty = allowEmpty
        let progress = PhaseProgress(enabled: !quiet)
        let result = try pipeline.run(path: recording) { progress.update($0, $1, $2) }
        progress.finish()
        try result.write(outputs)
        if !quiet { print(result.summary(seconds: Date().timeIntervalSince(start), output: outputs.volume)) }
    }
}
