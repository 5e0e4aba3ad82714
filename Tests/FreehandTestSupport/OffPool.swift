import Foundation

/// Runs blocking work (waiting for a child process, blocking pipe reads) on a thread of its own
/// and awaits it, so the cooperative pool (two threads on a 2-core machine) keeps serving the
/// in-process servers and clients that other tests run at the same time. A test that blocks a
/// pool thread instead can starve every other live test until their time limits.
public func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (c: CheckedContinuation<T, Error>) in
        Thread { c.resume(with: Result { try body() }) }.start()
    }
}
