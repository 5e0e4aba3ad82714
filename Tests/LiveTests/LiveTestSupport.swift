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

/// Runs a receiver with `options` to its end. Build the options in a synchronous function and
/// keep them out of the calling async frame: Swift 6.3.1 gave async functions that built
/// `LiveReceiver.Options` inline a context shorter than their frame (heap corruption; see
/// scripts/check-async-frames.py, which test.sh runs).
func receiveLive(_ options: sending LiveReceiver.Options) async -> Result<LiveReceiver.Summary, Error> {
    do { return .success(try await LiveReceiver(options: options).run()) } catch { return .failure(error) }
}
