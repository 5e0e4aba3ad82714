import Foundation
import IGTLink
import Reconstruction
import Recordings

extension PlusRemoteController {
    /// Sequence file types a recording may be written as.
    static let sequenceFileTypes = [".igs.mha", ".mha", ".mhd", ".igs.nrrd", ".seq.nrrd", ".nrrd"]

    /// PlusServer's vtkPlusStartStopRecordingCommand, with its messages.
    func recording(_ request: PlusRemoteRequest) -> PlusRemoteJob {
        let name = request.name
        let id = Self.attribute(request, "CaptureDeviceId"), channel = Self.attribute(request, "ChannelId")
        guard !(id.isEmpty && channel.isEmpty) else {
            return .reply(.notProcessed("Neither CaptureDeviceId nor ChannelId specified."), to: request)
        }
        guard id.isEmpty ? channel == options.channelID : id == options.captureDeviceID else {
            return .reply(.failure("VirtualCapture has not been found (\(id.isEmpty ? channel : id)), \(name)"), to: request)
        }
        let base = "VirtualCapture (\(options.captureDeviceID)) \(name) "
        switch name {
        case "StartRecording":
            guard capture == nil else { return .reply(.failure(base + "Recording to file is already in progress."), to: request) }
            let compress: Bool, pause: Bool
            do {
                compress = try ReconstructionSettings.flag("EnableCompression", in: request.attributes) ?? false
                pause = try ReconstructionSettings.flag("PauseOnStart", in: request.attributes) ?? false
            } catch {
                return .reply(.failure(base + "\(error)"), to: request)
            }
            var file = Self.attribute(request, "OutputFilename")
            if file.isEmpty { file = "Recording_\(Self.timestamp()).igs.mha" }
            do {
                let output = try folder.resolve(file, attribute: "OutputFilename", fileTypes: Self.sequenceFileTypes)
                let relativeLive = LiveRecorder.livePath(for: file)
                _ = try folder.resolve(relativeLive, attribute: "OutputFilename (live .mhd)", fileTypes: [".mhd"])
                _ = try folder.resolve(SequenceFile.stem(of: relativeLive) + ".raw", attribute: "OutputFilename (live .raw)", fileTypes: [".raw"])
                capture = try SequenceCapture(output: output)
            } catch {
                notices.append("remote recording to \(file) refused: \(error)")
                return .reply(.failure(base + "Failed to open file \(file). \(error)"), to: request)
            }
            captureCompressed = compress
            capturing = !pause
            return .reply(.success(base + "successful."), to: request)
        case "SuspendRecording":
            guard capturing else { return .reply(.failure(base + "Suspend recording failed: recording to file is not in progress."), to: request) }
            capturing = false
            return .reply(.success(base + "successful."), to: request)
        case "ResumeRecording":
            guard !capturing else { return .reply(.failure(base + "Resume recording failed: recording to file is already in progress."), to: request) }
            guard capture != nil else { return .reply(.failure(base + "Resume recording failed: no recording was started."), to: request) }
            capturing = true
            return .reply(.success(base + "successful."), to: request)
        default:  // StopRecording
            guard let capture, capture.framesWritten > 0 else { return .reply(.failure(base + "No frames to record."), to: request) }
            var output: String?
            let file = Self.attribute(request, "OutputFilename")
            if !file.isEmpty {
                switch resolved(file, attribute: "OutputFilename", fileTypes: Self.sequenceFileTypes) {
                case .success(let path): output = path
                case .failure(let error): return .reply(.failure(base + "Failed to finalize file: \(error)"), to: request)
                }
            }
            let frames = capture.framesWritten
            let job = closeRecording(output: output) { result in
                let reply: PlusRemoteReply
                switch result {
                case .success(let path): reply = .success(base + "Recording \(frames) frames successful to file \(path)")
                case .failure(let error): reply = .failure(base + "Failed to finalize file: \(error)")
                }
                return ([reply.message(answering: request)], PlusRemoteJob.notice(request, reply))
            }
            return PlusRemoteJob(client: request.client, run: job.run)
        }
    }

    /// Stops the recording: closes the live files now, and returns the job that writes the
    /// requested format (to `output`, else the file named at start) and reports through `report`.
    func closeRecording(output: String?, report: @escaping @Sendable (Result<String, RecordingError>) -> (messages: [IGTLMessage], notice: String?)) -> PlusRemoteJob {
        guard let capture else { return PlusRemoteJob(client: nil) { ([], nil) } }
        self.capture = nil
        capturing = false
        let closed: RecordingError?
        do { try capture.close(); closed = nil } catch { closed = error }
        let live = capture.livePath, data = capture.dataPath, target = output ?? capture.output, compressed = captureCompressed
        return PlusRemoteJob(client: nil) {
            if let closed { return report(.failure(closed)) }
            do throws(RecordingError) {
                return report(.success(try SequenceCapture.convert(livePath: live, dataPath: data, to: target, compressed: compressed)))
            } catch {
                return report(.failure(error))
            }
        }
    }

    /// `20261130_191700`: local time, as PlusServer's capture devices stamp their files.
    static func timestamp() -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyyMMdd_HHmmss"
        return f.string(from: Date())
    }
}
