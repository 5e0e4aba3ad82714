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
