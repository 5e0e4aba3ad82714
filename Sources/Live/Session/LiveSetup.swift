import Geometry
import Reconstruction
import Recordings

/// Reading what live commands need from a PLUS device-set configuration.
public enum LiveSetup {
    /// Calibration transforms and `<VolumeReconstruction>` settings of `path` (nil settings when
    /// the file has no such element).
    public static func load(_ path: String) throws -> (calibration: TransformRepository, settings: ReconstructionSettings?) {
        let device = try DeviceSetConfiguration.load(path)
        guard let element = device.volumeReconstruction else { return (device.transformRepository(), nil) }
        let settings = try ReconstructionSettings(element: element)
        return (device.transformRepository(), settings)
    }

    /// Pairing rules for `settings`' image and reference frames and `calibration`.
    public static func pairing(calibration: TransformRepository, settings: ReconstructionSettings?) -> FramePairer.Configuration {
        var p = FramePairer.Configuration()
        p.calibration = calibration
        if let settings {
            p.imageFrame = settings.imageCoordinateFrame
            p.referenceFrame = settings.referenceCoordinateFrame
        }
        return p
    }
}
