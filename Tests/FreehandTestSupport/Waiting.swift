import Foundation

/// A wait in a test ran out of time.
public struct TestTimeout: Error, CustomStringConvertible {
    /// What was being waited for.
    public let what: String
    public init(what: String) { self.what = what }
    public var description: String { "timed out waiting for \(what)" }
}

/// Polls `value` every 10 ms until it is non-nil, for at most `seconds` (generous by default,
/// so a loaded machine only makes the test slower, never failing).
public func eventually<T>(_ what: String, within seconds: Double = 300, _ value: () -> T?) async throws -> T {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    repeat {
        if let v = value() { return v }
        try await Task.sleep(for: .milliseconds(10))
    } while ContinuousClock.now < deadline
    if let v = value() { return v }
    throw TestTimeout(what: what)
}

/// Runs `body`, throwing `TestTimeout` (and cancelling it) after `seconds`.
public func withTimeout<T: Sendable>(_ seconds: Double, _ what: String,
                                     _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            throw TestTimeout(what: what)
        }
        defer { group.cancelAll() }
        guard let result = try await group.next() else { throw TestTimeout(what: what) }
        return result
    }
}
