import ArgumentParser

/// `freehand`: tracked freehand 3-D ultrasound reconstruction from the terminal.
@main
struct Freehand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "freehand",
        abstract: "Tracked freehand 3-D ultrasound: reconstruct, receive, record, replay, calibrate.",
        version: "0.1.0",
        subcommands: [
            ReconstructCommand.self,
            EvaluateCommand.self,
            ListenCommand.self,
            RecordCommand.self,
            ReplayCommand.self,
            SimulateCommand.self,
            CalibrateCommand.self,
            SpacingCommand.self,
            DevicesCommand.self,
            BenchCommand.self,
            VolumeCommand.self,
            ResampleCommand.self,
            RegisterCommand.self,
            ResliceCommand.self,
        ]
    )
}
