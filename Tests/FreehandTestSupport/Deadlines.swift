/// A wait in a test that ran out of time (tests wait for conditions, never for clocks, but
/// every wait has a deadline so a run always finishes, passed or failed).
public struct TimeoutError: Error, CustomStringConvertible {
    public let what: String
    public init(what: String) { self.what = what }
    public var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with `TimeoutError` after `seconds` (the body is cancelled then, so it
/// must end on cancellation: `for await` over an `AsyncStream` does, and so do the live loops).
public func withTimeout<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw TimeoutError(what: what)
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Polls `value` every 10 ms until it is non-nil, at most `seconds`.
public func eventually<T>(_ what: String, within seconds: Double = 60, _ value: () -> T?) async throws -> T {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: .milliseconds(Int(seconds * 1000)))
    while clock.now < deadline {
        if let v = value() { return v }
        try await Task.sleep(for: .milliseconds(10))
    }
    if let v = value() { return v }
    throw TimeoutError(what: what)
}
