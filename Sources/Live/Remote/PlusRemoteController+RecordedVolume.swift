import IGTLink
import Reconstruction
import Recordings

extension PlusRemoteController {
    /// PlusServer's ReconstructVolume (Slicer's scout scan and offline reconstruction): the
    /// sequence `InputSeqFilename` (inside the remote folder, e.g. one StartRecording wrote) is
    /// reconstructed off the loop with the offline pipeline (`RecordingReconstruction`) on the
    /// grid the attributes ask for (`OutputSpacing`, ...), else its automatic extent, then
    /// written and sent like a live result. An empty reconstruction is a failure, with its cause.
    func recordedVolume(_ request: PlusRemoteRequest) -> PlusRemoteJob {
        if let refused = useReconstructor(request) { return refused }
        let prefix = "\(request.name)(\(options.reconstructorDeviceID))"
        func fail(_ why: String) -> PlusRemoteJob { .reply(.failure(prefix + " Reconstruction from sequence file failed: " + why), to: request) }
        if reconstructing { return fail("live volume reconstruction is in progress.") }
        let input: String, settings: ReconstructionSettings
        do {
            input = try folder.resolve(Self.attribute(request, "InputSeqFilename"), attribute: "InputSeqFilename", fileTypes: Self.sequenceFileTypes)
            settings = try base.settings.applyingGridAttributes(request.attributes).settings
        } catch {
            return fail("\(error)")
        }
        let rules = base, budget = remoteBudget
        let output = outputVolFilename, name = outputVolDeviceName
        let target = output.isEmpty ? nil : resolved(output, attribute: "OutputVolFilename", fileTypes: Self.volumeFileTypes, protecting: [input])
        if case .failure(let error)? = target { return fail(error.reason) }
        return PlusRemoteJob(client: request.client, busy: PlusRemoteJob.busyReply(prefix + " Reconstruction from sequence file failed:", to: request)) {
            let reply: PlusRemoteReply
            var messages: [IGTLMessage] = []
            do {
                let pipeline = RecordingReconstruction(settings: settings, calibration: rules.calibration, threads: rules.threads,
                                                       memoryBudget: budget, importanceMask: rules.importanceMask)
                let volume = try pipeline.run(path: input).volume
                let (ok, status, images) = Self.deliver(volume, file: output, target: target, device: name)
                messages = images
                reply = PlusRemoteReply(succeeded: ok, message: ok ? "Command succeeded." : "Command failed. See error message.",
                                        error: prefix + " Reconstruction from sequence file completed: " + status)
            } catch {
                reply = .failure(prefix + " Reconstruction from sequence file failed: \(error)")
            }
            return (messages + [reply.message(answering: request)], PlusRemoteJob.notice(request, reply))
        }
    }
}
