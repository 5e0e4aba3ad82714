import Foundation
import FreehandTestSupport
import Synchronization
import Testing
@testable import IGTLink

/// A child process (interoperability peer) whose stdout and stderr are collected as text.
/// Terminated (by its own pid) when the test ends.
final class PeerProcess: Sendable {
    private let process: Process
    private let output = CapturedOutput()

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:], directory: URL? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["PYTHONUNBUFFERED"] = "1"
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        self.process = process
        out.fileHandleForReading.readabilityHandler = { [output] h in
            let text = String(decoding: h.availableData, as: UTF8.self)
            output.value.withLock { $0.stdout += text }
        }
        err.fileHandleForReading.readabilityHandler = { [output] h in
            let text = String(decoding: h.availableData, as: UTF8.self)
            output.value.withLock { $0.stderr += text }
        }
        try process.run()
    }

    var stdout: String { output.value.withLock { $0.stdout } }
    var stderr: String { output.value.withLock { $0.stderr } }
    var isRunning: Bool { process.isRunning }

    /// Waits until `condition` holds for (stdout, stderr), up to `seconds` (by default a hang
    /// deadline, generous for a loaded machine).
    @discardableResult
    func wait(for what: String, within seconds: Double = 300, _ condition: @escaping @Sendable (String, String) -> Bool) async throws -> (String, String) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            let (o, e) = output.value.withLock { ($0.stdout, $0.stderr) }
            if condition(o, e) { return (o, e) }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestTimeout(what: "\(what); peer stdout: \(stdout.suffix(2000)) stderr: \(stderr.suffix(2000))")
    }

    /// Kills the peer (SIGKILL: peers spawned from the test runner may inherit a signal mask
    /// that blocks SIGTERM) and reaps it.
    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { terminate() }
}

/// Text a child process printed, shared with the pipe handlers.
final class CapturedOutput: Sendable {
    let value = Mutex((stdout: "", stderr: ""))
}

/// Where the interoperability peers are, and why tests skip when they are missing.
enum Peers {
    static let examplesBin = PlusData.packageRoot.appendingPathComponent(".build-igtl-examples/bin")
    static let bindLoopback = examplesBin.appendingPathComponent("bind-loopback.so").path

    static var examplesAvailable: Bool {
        ["ImagerServer", "TrackerServer", "ReceiveServer", "bind-loopback.so"].allSatisfy {
            FileManager.default.fileExists(atPath: examplesBin.appendingPathComponent($0).path)
        }
    }
    static let examplesSkip: Comment = "libopenigtlink example peers not built: run scripts/build-igtl-examples.sh (needs openigtlink-examples, cmake, g++)"

    static let python: String? = Python.hasPyigtl ? Python.python3 : nil
    static var pyigtlAvailable: Bool { python != nil }
    static let pyigtlSkip = Python.pyigtlSkip
    static let pyigtlScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Peers/pyigtl_peer.py").path
}
