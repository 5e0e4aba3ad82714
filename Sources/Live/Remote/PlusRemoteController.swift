import Foundation
import Geometry
import IGTLink
import Imaging
import Reconstruction
import Recordings

/// Carries out Plus Remote commands the way PlusServer's `vtkPlus*Command`s do, on the frames a
/// live session delivers: live volume reconstruction (StartVolumeReconstruction,
/// Suspend/ResumeVolumeReconstruction, GetVolumeReconstructionSnapshot,
/// StopVolumeReconstruction), recording (StartRecording, Suspend/ResumeRecording,
/// StopRecording), reconstruction of a recorded sequence (ReconstructVolume, Slicer's scout
/// scan) and device queries (RequestDeviceIds, RequestChannelIds,
/// RequestDeviceChannelIds). Every other name gets PlusServer's "Error attempting to process
/// command." reply.
///
/// The remote reconstruction is its own volume (PlusServer's VirtualVolumeReconstructor): it
/// holds the frames delivered between Start and Stop while not suspended, on the grid the
/// command asks for (`OutputSpacing`/`OutputOrigin`/`OutputExtent`) or else the session's.
/// Results are written only inside `folder` and sent as IMAGE to `OutputVolDeviceName`.
///
/// Used from the session's processing loop only. `handle` returns the work to finish off the
/// loop (writing files, building IMAGEs) as a `PlusRemoteJob`.
public final class PlusRemoteController {
    /// What the remote reconstruction is built from: the session's rules and grid.
    public struct Reconstruction: Sendable {
        public var settings: ReconstructionSettings
        public var grid: LiveGrid
        /// Calibration chained with a recorded sequence's transforms (ReconstructVolume).
        public var calibration: TransformRepository
        public var threads: Int?
        public var memoryBudget: MemoryBudget
        public var importanceMask: Image?

        /// The session's rules (`LiveReceiver` passes its own).
        public init(settings: ReconstructionSettings, grid: LiveGrid, calibration: TransformRepository = TransformRepository(),
                    threads: Int? = nil, memoryBudget: MemoryBudget = .default, importanceMask: Image? = nil) {
            self.settings = settings
            self.grid = grid
            self.calibration = calibration
            self.threads = threads
            self.memoryBudget = memoryBudget
            self.importanceMask = importanceMask
        }
    }

    /// Device ids and the remote folder's settings.
    public let options: PlusRemoteOptions
    /// Where results are written.
    public let folder: PlusRemoteFolder
    let base: Reconstruction

    // Live reconstruction (PlusServer's VirtualVolumeReconstructor).
    var compounder: LiveCompounder?
    var volumeSettings: ReconstructionSettings
    var reconstructing = false
    var framesReconstructed = 0
    var outputVolFilename = ""
    var outputVolDeviceName = ""

    // Recording (PlusServer's VirtualCapture).
    var capture: SequenceCapture?
    var capturing = false
    var captureCompressed = false

    /// Notices for the user (what was written, what failed and why), taken by `takeNotices()`.
    var notices: [String] = []

    /// A controller writing into `folder`, reconstructing with `reconstruction`'s rules.
    public init(options: PlusRemoteOptions, folder: PlusRemoteFolder, reconstruction: Reconstruction) {
        self.options = options
        self.folder = folder
        base = reconstruction
        volumeSettings = reconstruction.settings
    }

    /// Whether a live reconstruction is adding frames, and whether a recording is running.
    public var isReconstructing: Bool { reconstructing }
    public var isRecording: Bool { capture != nil }

    /// Feeds delivered frames (in order) to the reconstruction and the recording while they run.
    public func observe(_ frames: [PairedFrame]) {
        if capturing, let capture {
            let refused = capture.framesNotWritten
            capture.append(frames)
            if refused == 0, capture.framesNotWritten > 0 { notices.append("remote recording: frame not recorded: \(capture.firstRefusal ?? "")") }
        }
        guard reconstructing, let compounder else { return }
        let posed = frames.filter { $0.imageToReference != nil }
        guard !posed.isEmpty else { return }
        do {
            try compounder.add(posed)
            framesReconstructed += posed.count
        } catch {
            reconstructing = false
            notices.append("remote reconstruction stopped adding frames: \(error)")
        }
    }

    /// Carries out `request`: the replies to send (in order), possibly after work done off the loop.
    public func handle(_ request: PlusRemoteRequest) -> PlusRemoteJob {
        if let why = request.malformed { return .reply(.notProcessed(why), to: request) }
        if case .legacy(nil) = request.form {
            return .reply(.failure("Malformed DeviceName. Expected CMD_cmdId (ex: CMD_001)"), to: request)
        }
        if case .command = request.form, let xmlName = request.attributes["Name"], xmlName.lowercased() != request.name.lowercased() {
            return .reply(.notProcessed("Command name \(request.name) does not match the Name attribute \(xmlName)"), to: request)
        }
        switch request.name {
        case "StartVolumeReconstruction", "SuspendVolumeReconstruction", "ResumeVolumeReconstruction",
             "GetVolumeReconstructionSnapshot", "StopVolumeReconstruction":
            return reconstruction(request)
        case "StartRecording", "SuspendRecording", "ResumeRecording", "StopRecording":
            return recording(request)
        case "RequestDeviceIds", "RequestChannelIds", "RequestDeviceChannelIds":
            return .reply(ids(request), to: request)
        case "ReconstructVolume":
            return recordedVolume(request)
        case "UpdateTransform", "SaveConfig", "AddCustomHeaders":
            return .reply(.failure("\(request.name) is not supported by Freehand"), to: request)
        case "":
            return .reply(.notProcessed("Command name is undefined"), to: request)
        default:
            return .reply(.notProcessed(), to: request)
        }
    }

    /// Notices gathered since the last call.
    public func takeNotices() -> [String] {
        defer { notices.removeAll() }
        return notices
    }

    /// Ends what the session leaves running: a recording is closed and written (PlusServer
    /// would lose it), a live reconstruction is dropped. Returns the work that writes the file.
    public func finish() -> PlusRemoteJob? {
        if compounder != nil {
            notices.append("remote reconstruction discarded at the end of the session (\(framesReconstructed) frames; never stopped)")
            compounder = nil
            reconstructing = false
        }
        guard capture != nil else { return nil }
        return closeRecording(output: nil) { result in
            switch result {
            case .success(let path): return ([], "remote recording finished at the end of the session: \(path)")
            case .failure(let error): return ([], "remote recording could not be finished: \(error)")
            }
        }
    }

    /// `value` resolved inside the remote folder, never `extra` nor a running recording's files, or why not.
    func resolved(_ value: String, attribute: String, fileTypes: [String], protecting extra: [String] = []) -> Result<String, PlusRemoteError> {
        let recording = capture.map { [$0.livePath, $0.dataPath, $0.output] } ?? []
        do { return .success(try folder.resolve(value, attribute: attribute, fileTypes: fileTypes, protecting: extra + recording)) } catch { return .failure(error) }
    }

    /// `request`'s attribute `name`, trimmed ("" when absent).
    static func attribute(_ request: PlusRemoteRequest, _ name: String) -> String {
        request.attributes[name]?.trimmingCharacters(in: .whitespaces) ?? ""
    }
}
