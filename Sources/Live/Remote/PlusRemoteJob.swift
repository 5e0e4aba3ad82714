import IGTLink

/// What answering one remote command takes once the processing loop has decided it: work to do
/// off the loop (writing a volume or a sequence, building an IMAGE), then the messages to send
/// to the client, in order (an IMAGE before the reply, as PlusServer sends them), and a line
/// for the user.
public struct PlusRemoteJob: Sendable {
    /// The client the messages go to (nil: nothing to send).
    public var client: IGTLClientID?
    /// Does the work; returns the messages and the notice.
    public let run: @Sendable () -> (messages: [IGTLMessage], notice: String?)

    public init(client: IGTLClientID?, run: @escaping @Sendable () -> (messages: [IGTLMessage], notice: String?)) {
        self.client = client
        self.run = run
    }

    /// Sends `reply` to `request` at once.
    public static func reply(_ reply: PlusRemoteReply, to request: PlusRemoteRequest) -> PlusRemoteJob {
        let message = reply.message(answering: request)
        let notice = PlusRemoteJob.notice(request, reply)
        return PlusRemoteJob(client: request.client) { ([message], notice) }
    }

    /// "Plus Remote StartRecording: SUCCESS (...)" for the user.
    static func notice(_ request: PlusRemoteRequest, _ reply: PlusRemoteReply) -> String {
        let name = request.name.isEmpty ? "command" : String(request.name.prefix(64))
        let detail = reply.error.isEmpty ? reply.message : reply.error
        return "Plus Remote \(name): \(reply.status)\(detail.isEmpty ? "" : " (\(detail.prefix(300)))")"
    }
}
