import FileSafety
import Recordings

extension ReconstructionSetup.Request {
    /// Every file the request reads (recording with its data file, tracker recording,
    /// configuration, calibrations) and writes (`outputs`), for `PathGuard.check()`.
    public func pathGuard(configPath: String?) -> PathGuard {
        var paths = PathGuard()
        if let recording { paths.recording("recording", recording) }
        if let tracker { paths.recording("tracker recording", tracker) }
        if let configPath { paths.input("configuration", configPath) }
        if let gridVolume { paths.recording("grid volume", gridVolume) }
        for c in calibrations { paths.input("calibration", c) }
        for o in outputs {
            if o.isVolume { paths.volumeOutput(o.role, o.path) } else { paths.output(o.role, o.path) }
        }
        return paths
    }
}
