import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing
@testable import Calibration

/// Each final error names the cause the progress already knew.
@Suite struct ErrorCauseTests {
    static let fCalConfig = "ConfigFiles/PlusDeviceSet_fCal_Sim_SpatialCalibration_2.0.xml"

    static func probeStep(phantom: NWirePhantom? = nil) throws -> (ProbeStep, TransformRepository) {
        let config = try DeviceSetConfiguration.load(PlusData.path(fCalConfig))
        let p = try phantom ?? NWirePhantom(configuration: config.root)
        let step = ProbeStep(phantom: p, segmenter: try NWireSegmenter(parameters: NWireSegmentationParameters(configuration: config.root), phantom: p))
        return (step, config.transformRepository())
    }

    static func fCalFrames(_ n: Int) throws -> [TrackedFrame] {
        var reader = try SequenceReader(path: PlusData.path("TestImages/fCal_Test_Calibration_3NWires_fCal2.0.igs.mha"))
        var frames: [TrackedFrame] = []
        while frames.count < n, let f = try reader.next() { frames.append(f) }
        return frames
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func untrackedProbeFramesAreNamed() throws {
        var (step, base) = try Self.probeStep()
        let name = TransformName(from: "Probe", to: "Tracker")
        for var frame in try Self.fCalFrames(12) {
            frame.transforms[name]?.status = .invalid
            step.consume(frame, base: base)
        }
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        #expect(error?.message.hasPrefix("12 of 12 frames have no valid ProbeToTracker") == true, "\(error?.message ?? "")")
    }

    @Test func invalidStylusPosesAreNamed() throws {
        var step = PivotStep()
        let name = TransformName(from: "Stylus", to: "Tracker")
        for var frame in PlusFakeTracker.frames(count: 50).frames {
            frame.transforms[name]?.status = .invalid
            step.consume(frame, base: TransformRepository())
        }
        #expect(step.progress.contains("50 untracked"))
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        #expect(error?.message.hasPrefix("50 of 50 frames have no valid StylusToTracker") == true, "\(error?.message ?? "")")
    }

    @Test func missingStylusTipCalibrationIsNamed() throws {
        let registration = PhantomLandmarkRegistration(defined: [
            .init(name: "#1", position: SIMD3(0, 0, 0)), .init(name: "#2", position: SIMD3(50, 0, 0)), .init(name: "#3", position: SIMD3(0, 50, 0)),
        ])
        var step = LandmarkStep(registration: registration)
        for frame in PlusFakeTracker.frames(count: 50).frames { step.consume(frame, base: TransformRepository()) }
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        #expect(error?.message.hasPrefix("no StylusTipToStylus (stylus tip calibration)") == true, "\(error?.message ?? "")")
    }

    /// A phantom definition that is not the phantom imaged: no frame matches, and the error says which wires were expected.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func wrongPhantomDefinitionNamesTheExpectedWires() throws {
        let config = try DeviceSetConfiguration.load(PlusData.path(Self.fCalConfig))
        let right = try NWirePhantom(configuration: config.root)
        // The same wires with the N-wire planes 3 times as far apart.
        let wrong = try NWirePhantom(patterns: right.patterns.map { p in
            try NWirePattern(wires: p.wires.map { PhantomWire(name: $0.name, front: $0.front * SIMD3(1, 1, 3), back: $0.back * SIMD3(1, 1, 3)) })
        })
        var (step, base) = try Self.probeStep(phantom: wrong)
        for frame in try Self.fCalFrames(20) { step.consume(frame, base: base) }
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        let message = error?.message ?? ""
        #expect(message.hasPrefix("none of the 20 tracked frames shows the phantom's pattern: expected 3 N-wires of 3 wires each"), "\(message)")
        #expect(message.contains("(7:G1_g1, 8:L1_h1, 9:M1_m1)"), "\(message)")
    }

    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func noImagesIsNotBlamedOnThePhantom() throws {
        let (step, _) = try Self.probeStep()
        let error = #expect(throws: CalibrationStepError.self) { try step.finish() }
        #expect(error?.message.hasPrefix("no image frames were received") == true, "\(error?.message ?? "")")
    }

    /// fCal 1.x phantom definitions (`<NWire>` elements) are read as the current `<Pattern Type="NWire">` form.
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func legacyNWireDefinitionsAreRead() throws {
        let text = try String(contentsOfFile: PlusData.path(Self.fCalConfig), encoding: .utf8)
        let legacy = text.replacingOccurrences(of: "<Pattern Type=\"NWire\">", with: "<NWire>").replacingOccurrences(of: "</Pattern>", with: "</NWire>")
        let current = try NWirePhantom(configuration: try ConfigElement.parse(Data(text.utf8)))
        let old = try NWirePhantom(configuration: try ConfigElement.parse(Data(legacy.utf8)))
        #expect(old == current)
        let grouped = legacy.replacingOccurrences(of: "<Geometry>", with: "<Geometry><NWires>").replacingOccurrences(of: "<Landmarks>", with: "</NWires><Landmarks>")
        #expect(try NWirePhantom(configuration: try ConfigElement.parse(Data(grouped.utf8))) == current)
        // An <NWire> that is not three wires is refused by name.
        let broken = legacy.replacingOccurrences(of: "<Wire Name=\"9:M1_m1\" EndPointFront=\"60.0 0.0 20.0\" EndPointBack=\"60.0 40.0 20.0\" />", with: "")
        #expect(broken != legacy)
        let error = #expect(throws: NWireError.self) { try NWirePhantom(configuration: try ConfigElement.parse(Data(broken.utf8))) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("<NWire> (fCal 1.x form)"))
    }
}
