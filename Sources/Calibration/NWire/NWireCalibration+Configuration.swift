import Geometry
import Recordings

extension NWireCalibration {
    /// The calibration set up from a device-set configuration: the `<PhantomDefinition>` and the
    /// PhantomToReference coordinate definition (frame names from `<vtkPlusProbeCalibrationAlgo>`
    /// when present, else `Phantom` and `Reference`).
    public init(configuration: DeviceSetConfiguration, refinement: Refinement = .rigidWithScale) throws(NWireError) {
        let algo = configuration.root.first("vtkPlusProbeCalibrationAlgo")
        let phantomFrame = algo?[attribute: "PhantomCoordinateFrame"] ?? "Phantom"
        let referenceFrame = algo?[attribute: "ReferenceCoordinateFrame"] ?? "Reference"
        let name = TransformName(from: phantomFrame, to: referenceFrame)
        guard let t = try? configuration.transformRepository().transform(name) else {
            throw .invalidConfiguration("\(configuration.path): no \(name) in <CoordinateDefinitions>; register the phantom first (freehand calibrate phantom)")
        }
        self.init(phantom: try NWirePhantom(configuration: configuration.root), phantomToReference: t.matrix, refinement: refinement)
    }
}
