import Foundation
@testable import Live

struct LiveTestTimeout: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Polls `value` every 10 ms until it is non-nil (at most 5 s).
func eventually<T>(_ what: String, _ value: () -> T?) async throws -> T {
    for _ in 0..<500 {
        if let v = value() { return v }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw LiveTestTimeout(what: what)
}

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
