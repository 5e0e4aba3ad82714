import ArgumentParser
import Calibration
import FileSafety
import Recordings
import Live
import Reconstruction

/// `freehand calibrate`: the calibration wizard (Calibration's `CalibrationWizard`) on a terminal,
/// fed from recordings or live from PlusServer / `freehand replay` over OpenIGTLink.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Calibration wizard: pixel spacing, stylus pivot, phantom landmarks, probe, temporal lag.",
        discussion: """
        Each step explains what to record, replays the recording with progress (poses, rotation \
        spread, landmarks found, running error, ...), grades the result (pass / warn / fail) and lets you \
        accept, redo (the spacing step may change the depth) or quit. A step that needs a configuration \
        asks for one. Accepted results are saved as a PLUS device-set fragment \
        (<CoordinateDefinitions><Transform .../>) that `--calibration` options and PLUS read. The exit \
        status is non-zero when a step failed or you quit.

        Scripting: freehand calibrate --step pivot --recording pivot.igs.mha --config device.xml --yes

        Live: --host/--port collect each step's frames from an OpenIGTLink server (PlusServer, `freehand \
        replay`) instead of a recording; a redo collects again. Collection ends after --frames N or \
        --duration S when given, else when the step has what fCal acquires (pivot: 200 poses with 15 deg \
        of tilt; landmarks: all found; probe: 200 + 100 frames with the wires found; spacing: 90 frames; \
        temporal: 15 s), when the server closes, or on Ctrl-C. While nothing usable arrives the wizard \
        shows, every second, the devices received with their rates and what the step waits for. Pivot and \
        landmark steps use the TRANSFORMs; spacing, probe and temporal use the IMAGEs with the tracker \
        TRANSFORMs (ProbeToTracker, ReferenceToTracker) interpolated at each image's time; the IMAGE \
        matrix is ignored. PlusServer: <Image Name="Image" EmbeddedTransformToFrame="Image"/> plus the \
        tracker <Transform Name=.../> entries; `freehand replay` of a recording whose configuration has \
        no ImageToProbe streams exactly that.
        Example: freehand calibrate --step probe --host 127.0.0.1 --port 18944 --config device.xml --yes

        --tracker: the probe step's recordings are video only; each frame gets the tracker \
        recording's poses interpolated at its time, as `reconstruct --tracker` pairs them.
        """
    )

    @Option(name: .long, help: "Step to run (spacing, pivot, landmarks, probe, temporal); repeat for several. Default: all, in that order.")
    var step: [CalibrationStepKind] = []
    @Option(name: .long, help: "Recording used by every step that has no recording of its own (repeatable).")
    var recording: [String] = []
    @Option(name: .customLong("spacing-recording"), help: "Recording for the spacing step.")
    var spacingRecording: [String] = []
    @Option(name: .customLong("pivot-recording"), help: "Recording of the stylus pivoting about its tip.")
    var pivotRecording: [String] = []
    @Option(name: .customLong("landmarks-recording"), help: "Recording of the stylus touching the phantom landmarks.")
    var landmarksRecording: [String] = []
    @Option(name: .customLong("probe-recording"), help: "N-wire phantom recording(s); with several, the last is the validation set.")
    var probeRecording: [String] = []
    @Option(name: .customLong("temporal-recording"), help: "Water-tank recording(s): one with images and tracking, or a video and a tracker recording.")
    var temporalRecording: [String] = []
    @Option(name: .long, help: "Collect live from this OpenIGTLink server (PlusServer, freehand replay) instead of recordings.")
    var host: String?
    @Option(name: .long, help: "Port of the live server (default 18944; implies --host 127.0.0.1).")
    var port: Int?
    @Option(name: .long, help: "Live: stop collecting a step after this many frames.")
    var frames: Int?
    @Option(name: .long, help: "Live: stop collecting a step after this many seconds.")
    var duration: Double?
    @Option(name: .long, help: "PLUS device-set configuration: calibration transforms, phantom definition, frame names.")
    var config: String?
    @Option(name: .long, help: "Imaging depth set on the scanner (5...350 mm from the transducer face), for the spacing step.")
    var depth: Double?
    @Option(name: .long, help: "Where to save the results (default Calibrations/Calibration-<date>.xml). An existing file is updated.")
    var output: String?
    @OptionGroup var tracker: TrackerOptions
    @Flag(name: .long, help: "Non-interactive: run the steps and accept every result that does not fail.")
    var yes = false

    private var isLive: Bool { host != nil || port != nil }

    func validate() throws {
        let recorded = [("--recording", recording), ("--spacing-recording", spacingRecording), ("--pivot-recording", pivotRecording),
                        ("--landmarks-recording", landmarksRecording), ("--probe-recording", probeRecording),
                        ("--temporal-recording", temporalRecording)].filter { !$0.1.isEmpty }.map(\.0)
        if isLive, let first = recorded.first {
            throw ValidationError("--host/--port (live input) and \(first) (recorded input) are mutually exclusive: give one or the other")
        }
        if !isLive, frames != nil || duration != nil { throw ValidationError("--frames and --duration limit live collection: give --host (and --port) too") }
        if frames != nil && duration != nil { throw ValidationError("give --frames or --duration, not both") }
        if let frames, frames < 1 { throw ValidationError("--frames must be at least 1") }
        if let duration, !(duration > 0 && duration.isFinite) { throw ValidationError("--duration must be a positive number of seconds") }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be in 1...65535") }
        if let depth, let problem = SpacingPlausibility.depthProblem(depth) { throw ValidationError(problem) }
        if isLive, tracker.tracker != nil { throw ValidationError("--tracker pairs recordings offline: leave out --host/--port") }
    }

    func run() throws {
        var options = CalibrationWizard.Options(outputPath: output ?? "Calibrations/Calibration-\(CalibrationResults.dateStamp()).xml")
        if !step.isEmpty { options.steps = step; options.stepsChosen = true }
        options.recordings = recording
        options.stepRecordings = [.spacing: spacingRecording, .pivot: pivotRecording, .landmarks: landmarksRecording,
                                  .probe: probeRecording, .temporal: temporalRecording]
        options.configPath = config
        options.depth = depth
        options.assumeYes = yes
        options.liveFrames = frames
        options.liveDuration = duration
        var paths = PathGuard()   // before anything is read: the results never replace an input
        for r in recording + spacingRecording + pivotRecording + landmarksRecording + probeRecording + temporalRecording {
            paths.recording("recording", r)
        }
        if let config { paths.input("configuration", config) }
        if let path = tracker.tracker { paths.recording("tracker recording", path) }
        paths.output("results", options.outputPath, createsFolder: true)
        try paths.check()
        let (host, port) = (self.host ?? "127.0.0.1", self.port ?? 18944)
        var wizard = CalibrationWizard(options: options, io: TerminalWizardIO())
        if isLive {
            wizard.liveAddress = "\(host):\(port)"
            wizard.openLive = { LiveFrameSource(request: $0, host: host, port: port) }
        }
        if let timeline = try ReconstructionSetup(tracker.apply(to: ReconstructionSetup.Request(config: config))).trackerTimeline() {
            wizard.pairProbeFrame = { timeline.pair($0) }
        }
        let report = try wizard.run()
        if !report.succeeded { throw ExitCode(1) }
    }
}

extension CalibrationStepKind: ExpressibleByArgument {
    public init?(argument: String) { self.init(rawValue: argument.lowercased()) }
}
