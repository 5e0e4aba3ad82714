import Dispatch
import Foundation
import Imaging
import Reconstruction
import Recordings

/// Freehand's side of a comparison with IGSIO's `paste_bench` (`freehand bench --recording`):
/// the same phases timed the same way on a recording and its PLUS configuration. The recording
/// is read whole first (not timed); then, per run, a fresh reconstructor pastes every frame with a
/// valid pose (timed: "paste") and, when the configuration has `FillHoles="ON"`, the holes are
/// filled (timed: "fill"). The volume is allocated outside the timed parts, as `paste_bench`
/// does. Reports one line per thread count, with medians, in `paste_bench`'s terms.
public struct RecordingBenchmark: Sendable {
    /// The recorded sequence.
    public var recording: String
    /// The PLUS device-set configuration (calibration and `<VolumeReconstruction>`).
    public var config: String
    /// Runs per thread count (median reported).
    public var runs = 5
    /// Thread counts measured.
    public var threadCounts = [1]
    /// Where to write the last run's volume (uncompressed `.mha`), for comparing outputs; nil: not written.
    public var output: String?

    public init(recording: String, config: String) {
        self.recording = recording
        self.config = config
    }

    /// Runs the benchmark, handing each report line to `report`.
    public func run(report: (String) -> Void) throws {
        var request = ReconstructionSetup.Request(recording: recording, config: config)
        // The setup refuses an output that is one of the inputs.
        if let output { request.outputs = [.init("output volume", output)] }
        let setup = try ReconstructionSetup(request)
        let settings = try setup.requiredSettings()
        let readStart = DispatchTime.now().uptimeNanoseconds
        let sequence = try SequenceFile.read(recording)
        let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - readStart) / 1e9
        let items = sequence.frames.compactMap { f in
            VolumeReconstructor.imageToReference(for: f, calibration: setup.calibration, name: setup.imageToReferenceName)
                .map { (image: f.image, imageToReference: $0) }
        }
        // PLUS's automatic extent: every frame with a valid pose (unless the grid is configured).
        let geometry = try OutputGridBuilder.geometry(settings: settings, frames: items)
        let fill = settings.fillHoles && !settings.holeFilling.isEmpty
        for threads in threadCounts {
            var paste: [Double] = [], pasteCPU: [Double] = [], fillWall: [Double] = [], fillCPU: [Double] = []
            var pasted = 0
            for run in 0..<max(1, runs) {
                let r = try VolumeReconstructor(settings: settings, geometry: geometry, calibration: setup.calibration, threads: threads)
                let (wall, cpu) = try ProcessClock.measure { try r.add(images: items) }
                paste.append(wall)
                pasteCPU.append(cpu)
                pasted = r.statistics.framesPasted
                let accumulation = r.accumulation().voxels
                var volume = r.volume()
                let filler = HoleFiller(elements: settings.holeFilling, numberOfThreads: threads)
                let (fw, fc) = ProcessClock.measure {
                    guard fill else { return }
                    if let v = r.volumeUInt8() { volume = .uint8(filler.fill(v, accumulation: accumulation)) }
                    if let v = r.volumeFloat() { volume = .float32(filler.fill(v, accumulation: accumulation)) }
                }
                fillWall.append(fw)
                fillCPU.append(fc)
                if run == max(1, runs) - 1, let output { try VolumeFile.write(volume, to: output, compressed: false) }
            }
            let p = ProcessClock.median(paste), pc = ProcessClock.median(pasteCPU), n = Double(max(1, pasted)), d = geometry.dimensions
            report(String(format: "freehand paste_bench threads=%d frames=%d added=%d grid=%dx%dx%d read=%.3fs paste_median=%.4fs => %.1f frames/s wall, %.1f frames per CPU-s; paste min=%.4fs max=%.4fs; fill median=%.4fs (cpu %.4fs)%@; runs=%d",
                          threads, sequence.frames.count, pasted, d.x, d.y, d.z, readSeconds, p, n / p, n / pc,
                          paste.min() ?? 0, paste.max() ?? 0, ProcessClock.median(fillWall), ProcessClock.median(fillCPU),
                          (fill ? "" : " (no hole filling configured)") as NSString, paste.count) + "; kernels=\(PasteKernelSet.detected.rawValue)")
        }
    }
}
