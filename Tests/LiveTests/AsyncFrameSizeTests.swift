import Foundation
import FreehandTestSupport
import Testing

/// Swift 6.3.1 gives some async functions a context shorter than the frame their code uses (found
/// with AddressSanitizer in two live test helpers; without it, glibc aborted hundreds of tests
/// later with "double free or corruption (!prev)"). scripts/check-async-frames.py finds them in a
/// built binary; this runs it on this test binary and the `freehand` executable beside it (when
/// built), so a plain `swift test` names the function.
@Suite struct AsyncFrameSizeTests {
    /// The tools the check needs, or why it cannot run here.
    static let missing: String? = {
        #if arch(x86_64) && os(Linux)
        guard Python.python3 != nil else { return "python3 not found" }
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for tool in ["llvm-nm", "llvm-objdump"] where !path.contains(where: { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }) {
            return "\(tool) not on PATH (it comes with the Swift toolchain)"
        }
        return nil
        #else
        return "the check reads x86-64 ELF code"
        #endif
    }()

    @Test(.enabled(if: missing == nil, Comment(rawValue: "skipping the async frame check: \(missing ?? "")")))
    func noAsyncFunctionUsesMoreThanItsContext() async throws {
        let root = PlusData.packageRoot
        let modules = try ["Sources", "Tests"].flatMap {
            try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent($0).path)
        }.filter { !$0.hasPrefix(".") }.sorted().joined(separator: ",")
        let binaries = [URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path]
            + (FreehandExecutable.isAvailable ? [FreehandExecutable.path] : [])
        let script = root.appendingPathComponent("scripts/check-async-frames.py").path
        let (status, output) = try await offPool { () throws -> (Int32, String) in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Python.python3!)
            process.arguments = [script, "--modules", modules] + binaries
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        #expect(status == 0, "async functions whose code uses more than their context (build what they hold in a synchronous function): \(output)")
        #expect(output.contains(" async functions, 0 with a frame field past the context"), "\(output)")
    }
}
