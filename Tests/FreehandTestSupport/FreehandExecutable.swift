import Foundation

/// The built `freehand` executable, for tests that run the command line as a user would.
/// `scripts/test.sh` builds it before the tests; tests using it are enabled only when it exists.
public enum FreehandExecutable {
    /// `freehand` beside the test bundle in the build folder (debug or release alike).
    public static let path: String = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("freehand").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return PlusData.packageRoot.appendingPathComponent(".build/debug/freehand").path
    }()

    /// Whether it has been built.
    public static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// Runs `freehand arguments...` with `input` on standard input; returns the exit status and
    /// standard output and error together.
    public static func run(_ arguments: [String], input: String = "", currentDirectory: URL? = nil) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = arguments
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        let stdin = Pipe(), stdout = Pipe()
        p.standardInput = stdin
        p.standardOutput = stdout
        p.standardError = stdout
        try p.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

extension FreehandExecutable {
    /// What a measured run returns.
    public struct Measured: Sendable {
        /// Exit status (124 when `timeoutSeconds` ran out).
        public var status: Int32
        /// Standard output and error together.
        public var output: String
        /// Peak resident memory of the command in KiB (`/usr/bin/time -f %M`), nil when unavailable.
        public var peakKiB: Int?
    }

    /// Runs `freehand arguments...` under `timeout` (so a command that waits forever fails the
    /// test instead of hanging it) and `/usr/bin/time` (peak memory), optionally with a
    /// file-size limit in 1 KiB blocks (`ulimit -f`), from a shell in `currentDirectory`.
    public static func runMeasured(_ arguments: [String], currentDirectory: URL, timeoutSeconds: Int = 120,
                                   fileSizeLimitKiB: Int? = nil) throws -> Measured {
        let memoryFile = FileManager.default.temporaryDirectory.appendingPathComponent("freehand-peak-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: memoryFile) }
        func quote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let hasTime = FileManager.default.isExecutableFile(atPath: "/usr/bin/time")
        var command = fileSizeLimitKiB.map { "ulimit -f \($0); " } ?? ""
        command += "exec timeout \(timeoutSeconds) "
        if hasTime { command += "/usr/bin/time -q -f %M -o \(quote(memoryFile)) " }
        command += ([path] + arguments).map(quote).joined(separator: " ")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", command]
        p.currentDirectoryURL = currentDirectory
        let out = Pipe()
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let peak = (try? String(contentsOfFile: memoryFile, encoding: .utf8))?
            .split(separator: "\n").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }.last
        return Measured(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self), peakKiB: peak)
    }
}
