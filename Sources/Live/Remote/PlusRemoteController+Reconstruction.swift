import IGTLink
import Reconstruction
import Recordings

extension PlusRemoteController {
    /// PlusServer's vtkPlusReconstructVolumeCommand for live frames, with its messages.
    func reconstruction(_ request: PlusRemoteRequest) -> PlusRemoteJob {
        if let refused = useReconstructor(request) { return refused }
        let name = request.name
        let base = "\(name)(\(options.reconstructorDeviceID))"
        switch name {
        case "StartVolumeReconstruction":
            if reconstructing {
                return .reply(.failure(base + " Reconstruction starting from live frames failed: live volume reconstruction is in progress."), to: request)
            }
            do {
                try startReconstruction(request.attributes)
            } catch {
                return .reply(.failure(base + " Reconstruction starting from live frames failed: \(error)"), to: request)
            }
            return .reply(.success(base + " Volume reconstruction from live frames started."), to: request)
        case "SuspendVolumeReconstruction":
            guard reconstructing else {
                return .reply(.failure(base + " Reconstruction suspend from live frames failed: live volume reconstruction is not in progress."), to: request)
            }
            reconstructing = false
            return .reply(.success("Volume reconstruction from live frames suspended, device: " + options.reconstructorDeviceID), to: request)
        case "ResumeVolumeReconstruction":
            if reconstructing {
                return .reply(.failure(base + " Reconstruction resume from live frames failed: live volume reconstruction is already in progress."), to: request)
            }
            if compounder == nil {
                do { try startReconstruction([:]) } catch {
                    return .reply(.failure(base + " Reconstruction resume from live frames failed: \(error)"), to: request)
                }
            }
            reconstructing = true
            return .reply(.success(base + " Volume reconstruction from live frames resumed."), to: request)
        case "GetVolumeReconstructionSnapshot":
            let fill: Bool
            do { fill = try ReconstructionSettings.flag("ApplyHoleFilling", in: request.attributes) ?? true } catch {
                return .reply(.failure(base + " Reconstruction snapshot request failed, device: \(error)"), to: request)
            }
            guard let compounder, let volume = fill ? compounder.finalVolume(fillHoles: volumeSettings.fillHoles) : compounder.snapshot() else {
                let why = compounder == nil ? "no live reconstruction (send StartVolumeReconstruction first)"
                    : "no frame reconstructed yet (the automatic grid waits for its first frames)"
                return .reply(.failure(base + " Reconstruction snapshot request failed, device: " + why), to: request)
            }
            if let why = compounder.emptyCause {
                return .reply(.failure(base + " Reconstruction snapshot request failed, device: the volume is empty: " + why), to: request)
            }
            return imageReply(volume, request, busy: PlusRemoteJob.busyReply(base + " Reconstruction snapshot request failed, device:", to: request)) { base + " " + $0 }
        default:  // StopVolumeReconstruction
            guard reconstructing || framesReconstructed > 0, let compounder else {
                return .reply(.failure(base + " Reconstruction stop from live frames failed: live volume reconstruction is already stopped, device."), to: request)
            }
            reconstructing = false
            let volume: AnyVolume?
            do {
                try compounder.finishGrid()
                volume = compounder.finalVolume(fillHoles: volumeSettings.fillHoles)
            } catch {
                // The frames so far stay: a later stop (or snapshot) may still give a volume.
                return .reply(.failure(base + "Reconstruction stop from live frames failed: \(error)"), to: request)
            }
            guard let volume else {
                return .reply(.failure(base + "Reconstruction stop from live frames failed: no frame was reconstructed"), to: request)
            }
            // Nothing is written or sent; the frames so far stay, and a resume may still fill it.
            if let why = compounder.emptyCause {
                return .reply(.failure(base + "Reconstruction stop from live frames failed: the volume is empty: " + why), to: request)
            }
            self.compounder = nil
            framesReconstructed = 0
            return imageReply(volume, request) { base + " Reconstruction from live frames completed: " + $0 }
        }
    }

    /// Checks `VolumeReconstructorDeviceId` (empty: the one device, as PlusServer auto-detects)
    /// and remembers `OutputVolFilename`/`OutputVolDeviceName` for later commands, as PlusServer's
    /// reconstructor device does; the failure reply when the device is unknown.
    func useReconstructor(_ request: PlusRemoteRequest) -> PlusRemoteJob? {
        let id = Self.attribute(request, "VolumeReconstructorDeviceId")
        guard id.isEmpty || id == options.reconstructorDeviceID else {
            return .reply(.failure("Device \(id) is not found."), to: request)
        }
        let file = Self.attribute(request, "OutputVolFilename"), device = Self.attribute(request, "OutputVolDeviceName")
        if !file.isEmpty { outputVolFilename = file }
        if !device.isEmpty { outputVolDeviceName = device }
        return nil
    }

    /// The memory a remote reconstruction (live or `ReconstructVolume`) may take: half the
    /// session's budget, since the session's own compounder holds its volume beside it.
    var remoteBudget: MemoryBudget { MemoryBudget(limitBytes: base.memoryBudget.limitBytes / 2) }

    /// A new, empty reconstruction on the grid the attributes ask for (else the session's).
    private func startReconstruction(_ attributes: [String: String]) throws {
        let (settings, changed) = try base.settings.applyingGridAttributes(attributes)
        let grid: LiveGrid
        if let g = try settings.configuredGrid() {
            grid = .fixed(g)
        } else if changed, case .fixed = base.grid {
            grid = .automatic(frames: 30, margin: 10)  // the session's grid has another spacing
        } else {
            grid = base.grid
        }
        compounder = try LiveCompounder(settings: settings, grid: grid, threads: base.threads,
                                        memoryBudget: remoteBudget, importanceMask: base.importanceMask)
        volumeSettings = settings
        reconstructing = true
        framesReconstructed = 0
    }

    /// PlusServer's ProcessImageReply: writes `volume` to OutputVolFilename (inside the remote
    /// folder) and sends it as IMAGE OutputVolDeviceName (identity pose: the volume is in the
    /// reference frame), then the reply, whose detail `detail` builds from the status message;
    /// `busy` (see `PlusRemoteJob.busy`) answers it instead while the client's last volume is on the way.
    private func imageReply(_ volume: AnyVolume, _ request: PlusRemoteRequest, busy: IGTLMessage? = nil,
                            detail: @escaping @Sendable (String) -> String) -> PlusRemoteJob {
        let file = outputVolFilename, device = outputVolDeviceName
        let target = file.isEmpty ? nil : resolved(file, attribute: "OutputVolFilename", fileTypes: Self.volumeFileTypes)
        return PlusRemoteJob(client: request.client, busy: busy) {
            let (ok, status, messages) = Self.deliver(volume, file: file, target: target, device: device)
            let reply = PlusRemoteReply(succeeded: ok, message: ok ? "Command succeeded." : "Command failed. See error message.",
                                        error: detail(status))
            return (messages + [reply.message(answering: request)], PlusRemoteJob.notice(request, reply))
        }
    }

    /// Volume file types a result may be written as.
    static let volumeFileTypes = [".nrrd", ".mha", ".mhd"]

    /// Writes `volume` to `target` and builds its IMAGE `device` (either may be absent): whether
    /// both succeeded, PlusServer's status message, and the IMAGE to send.
    static func deliver(_ volume: AnyVolume, file: String, target: Result<String, PlusRemoteError>?, device: String)
        -> (ok: Bool, status: String, messages: [IGTLMessage]) {
        var ok = true
        var parts: [String] = []
        var messages: [IGTLMessage] = []
        switch target {
        case .success(let path):
            do {
                try VolumeFile.write(volume, to: path)
                parts.append("saved reconstructed volume to file: \(path)")
            } catch {
                ok = false
                parts.append("saving reconstructed volume to \(path) failed: \(error)")
            }
        case .failure(let error):
            ok = false
            parts.append("saving reconstructed volume to \(file) failed: \(error.reason)")
        case nil: break
        }
        if !device.isEmpty {
            if let image = volume.igtlImage() {
                let wire = PlusRemoteReply.fitting(device)
                messages.append(IGTLMessage(deviceName: wire, body: .image(image),
                                            metadata: wire == device ? [] : [IGTLMetadataItem(key: "IGTL_DEVICE_NAME", value: device)]))
                parts.append("image sent as: \(device)")
            } else {
                ok = false
                parts.append("image not sent as \(device): the volume has more than 65535 voxels along an axis")
            }
        }
        return (ok, parts.joined(separator: ", "), messages)
    }
}
