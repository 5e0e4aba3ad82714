import Geometry
import Recordings

extension CalibrationWizard {
    /// A step ready to run, or why not.
    enum StepChoice {
        case step(any CalibrationStep)
        case unavailable(String)
        case quit
    }

    /// The step for `kind`, asking for what it needs (depth, configuration) when interactive.
    mutating func makeStep(_ kind: CalibrationStepKind) -> StepChoice {
        switch kind {
        case .spacing:
            var depth = options.depth
            if depth == nil, !options.assumeYes {
                depth = askNumber("Imaging depth on the scanner (mm from the transducer face): ")
            }
            guard let depth else { return .unavailable("The spacing step needs the imaging depth (--depth).") }
            options.depth = depth
            let spacing = options.recordings(for: .spacing).first.flatMap { try? SequenceReader(path: $0).pixelSpacing }
            var step = SpacingStep(depth: depth, fileSpacing: spacing)
            if let c = configuration { step.configSpacing = ImageToProbeSpacing(configuration: c)?.spacing }
            return .step(step)
        case .pivot:
            let e = configuration?.root.first("vtkPlusPivotCalibrationAlgo")
            return .step(PivotStep(markerFrame: e?[attribute: "ObjectMarkerCoordinateFrame"] ?? "Stylus",
                                   referenceFrame: e?[attribute: "ReferenceCoordinateFrame"] ?? "Reference",
                                   tipFrame: e?[attribute: "ObjectPivotPointCoordinateFrame"] ?? "StylusTip"))
        case .landmarks:
            return withConfiguration("the phantom's PhantomDefinition/Geometry/Landmarks") { c throws -> any CalibrationStep in
                var s = LandmarkStep(registration: try PhantomLandmarkRegistration(configuration: c))
                if let e = c.root.first("vtkPlusPhantomLandmarkRegistrationAlgo") {
                    s.phantomFrame = e[attribute: "PhantomCoordinateFrame"] ?? s.phantomFrame
                    s.referenceFrame = e[attribute: "ReferenceCoordinateFrame"] ?? s.referenceFrame
                    s.tipFrame = e[attribute: "StylusTipCoordinateFrame"] ?? s.tipFrame
                }
                return s
            }
        case .probe:
            return withConfiguration("the N-wire PhantomDefinition and Segmentation settings") { c throws -> any CalibrationStep in
                let phantom = try NWirePhantom(configuration: c.root)
                var s = ProbeStep(phantom: phantom,
                                  segmenter: try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: c.root), phantom: phantom))
                if let e = c.root.first("vtkPlusProbeCalibrationAlgo") {
                    s.imageFrame = e[attribute: "ImageCoordinateFrame"] ?? s.imageFrame
                    s.probeFrame = e[attribute: "ProbeCoordinateFrame"] ?? s.probeFrame
                    s.phantomFrame = e[attribute: "PhantomCoordinateFrame"] ?? s.phantomFrame
                    s.referenceFrame = e[attribute: "ReferenceCoordinateFrame"] ?? s.referenceFrame
                }
                return s
            }
        case .temporal:
            return .step(TemporalStep())
        }
    }

    /// Builds a step from the configuration; without one (or when it lacks what the step needs)
    /// asks for a configuration file, interactively, until one works or the answer is empty.
    private mutating func withConfiguration(_ needs: String, _ make: (DeviceSetConfiguration) throws -> any CalibrationStep) -> StepChoice {
        var problem: String?
        if let c = configuration {
            do { return .step(try make(c)) } catch { problem = "\(options.configPath ?? "the configuration"): \(error)" }
        } else {
            problem = "This step needs a PLUS device-set configuration (--config) with \(needs)."
        }
        guard !options.assumeYes else { return .unavailable(problem ?? "") }
        while true {
            io.say(problem ?? "")
            guard let path = io.ask("Configuration file with \(needs) (empty to skip, q to quit): "), !path.isEmpty else {
                return .unavailable(problem ?? "")
            }
            if path.lowercased() == "q" { return .quit }
            do {
                let c = try DeviceSetConfiguration.load(path)
                let step = try make(c)
                useConfiguration(c, path: path)
                return .step(step)
            } catch {
                problem = "\(path): \(error)"
            }
        }
    }
}
