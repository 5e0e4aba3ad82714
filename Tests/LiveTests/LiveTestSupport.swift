import Foundation
import FreehandTestSupport
@testable import Live

/// Starts a replayer of `source` on a free 127.0.0.1 port; returns it, its task and the port.
func startReplay<S: ReplaySource>(_ source: sending S, _ configure: (inout LiveReplayer.Options) -> Void = { _ in })
    async throws -> (replayer: LiveReplayer, task: Task<LiveReplayer.Summary, Error>, port: Int) {
    var options = LiveReplayer.Options()
    options.port = 0
    configure(&options)
    let replayer = LiveReplayer(options: options)
    let task = Task { try await replayer.run(source) }
    let port = try await eventually("the replayer's port") { replayer.port }
    return (replayer, task, port)
}
