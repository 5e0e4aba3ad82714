import Foundation
import IGTLink

/// Plus Remote inside a live session: the endpoint on the session's viewer server and the
/// controller that carries commands out, with the few calls `LiveReceiver` makes (take the
/// commands, feed delivered frames, perform a command, finish).
final class PlusRemoteService {
    let endpoint: PlusRemoteEndpoint
    let controller: PlusRemoteController
    private let notice: (@Sendable (String) -> Void)?

    /// Answers commands on `server`; files go to `options.directory`, else beside `output`.
    init(server: IGTLServer, options: PlusRemoteOptions, output: String?, reconstruction: PlusRemoteController.Reconstruction,
         notice: (@Sendable (String) -> Void)?) throws(PlusRemoteError) {
        let outputFolder = output.map { ($0 as NSString).deletingLastPathComponent } ?? ""
        let directory = options.directory ?? (outputFolder.isEmpty ? "." : outputFolder)
        let folder = try PlusRemoteFolder(path: directory, protecting: options.protectedPaths + (output.map { [$0] } ?? []))
        controller = PlusRemoteController(options: options, folder: folder, reconstruction: reconstruction)
        endpoint = PlusRemoteEndpoint(server: server, notice: notice)
        self.notice = notice
        notice?("answering Plus Remote commands on 127.0.0.1:\(server.port); files go to \(folder.path)")
    }

    /// Commands received since the last call.
    func takeRequests() -> [PlusRemoteRequest] { endpoint.takeRequests() }

    /// Frames the session delivered.
    func observe(_ frames: [PairedFrame]) {
        controller.observe(frames)
        flushNotices()
    }

    /// Carries out one command.
    func handle(_ request: PlusRemoteRequest) {
        endpoint.perform(controller.handle(request))
        flushNotices()
    }

    /// Closes a running recording, sends what is queued and stops.
    func finish() async {
        if let job = controller.finish() { endpoint.perform(job) }
        flushNotices()
        await endpoint.close()
    }

    private func flushNotices() {
        for text in controller.takeNotices() { notice?(text) }
    }
}
