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

    /// For a job that builds and sends a volume (a snapshot, a reconstructed sequence): the
    /// reply sent instead while the client still has such a job waiting (a FAIL "busy"), so a
    /// client asking faster than it reads cannot pile up volumes; nil for other jobs.
    public var busy: IGTLMessage?

    public init(client: IGTLClientID?, busy: IGTLMessage? = nil, run: @escaping @Sendable () -> (messages: [IGTLMessage], notice: String?)) {
        self.client = client
        self.busy = busy
        self.run = run
    }

    /// The FAIL reply to `request` while a volume for its client is still being built or sent.
    static func busyReply(_ prefix: String, to request: PlusRemoteRequest) -> IGTLMessage {
        PlusRemoteReply.failure(prefix + " busy: a volume for this client is still being built or sent; send the command again when it arrived").message(answering: request)
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
