import ArgumentParser
import Reconstruction

/// Where the calibration and `<VolumeReconstruction>` rules come from (reconstruct, listen,
/// record, replay): `ReconstructionSetup` reads them the same way for every command.
struct ConfigurationOptions: ParsableArguments {
    @Option(name: .shortAndLong,
            help: "PLUS device-set configuration (calibration + <VolumeReconstruction>). Default: <recording>.config.xml beside the recording, when there is one.")
    var config: String?

    @Option(name: .long, parsing: .singleValue,
            help: "Further device-set files whose <CoordinateDefinitions> override the configuration's (e.g. Calibrations/ImageToProbe.xml). Repeatable.")
    var calibration: [String] = []

    @Option(help: "Frame the images are in (default from the configuration, else Image).")
    var imageFrame: String?

    @Option(help: "Frame the volume is built in (default from the configuration, else Reference).")
    var referenceFrame: String?

    /// The setup request for `recording` (nil for commands without one).
    func request(recording: String? = nil) -> ReconstructionSetup.Request {
        var r = ReconstructionSetup.Request(recording: recording, config: config, calibrations: calibration)
        r.imageFrame = imageFrame
        r.referenceFrame = referenceFrame
        return r
    }
}
