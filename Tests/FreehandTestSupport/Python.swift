import Foundation
import Testing

/// Python 3 as an independent peer (SimpleITK, pynrrd, pyigtl ...): found once, and tests that
/// need a module are skipped with a clear reason when it cannot be imported.
public enum Python {
    /// The first `python3` on `PATH` (as `/usr/bin/env python3` finds it), else the usual paths.
    public static let python3: String? = {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/python3" }
        return (path + ["/usr/bin/python3", "/usr/local/bin/python3"]).first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Whether `python3` can import every module in `modules`.
    public static func canImport(_ modules: [String]) -> Bool {
        guard let python3 else { return false }
        let check = Process()
        check.executableURL = URL(fileURLWithPath: python3)
        check.arguments = ["-c", "import " + modules.joined(separator: ", ")]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        guard (try? check.run()) != nil else { return false }
        check.waitUntilExit()
        return check.terminationStatus == 0
    }

    /// Whether pyigtl 0.3.4 and numpy are importable (the OpenIGTLink peers).
    public static let hasPyigtl = canImport(["pyigtl", "numpy"])
    /// Why pyigtl peer tests are skipped.
    public static let pyigtlSkip: Comment = "pyigtl not importable by python3: pip install pyigtl==0.3.4 numpy (scripts/setup.sh --test-peers)"

    /// Runs `python3 -c script arguments...` and returns its standard output (trimmed), or nil
    /// (with the reason printed) when python3 or a module the script imports is missing; a
    /// failing script returns `python failed: <stderr>` so the caller's expectation fails.
    public static func run(_ script: String, _ arguments: [String] = []) -> String? {
        guard let python3 else {
            print("skipping external check: python3 not found")
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python3)
        process.arguments = ["-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            print("skipping external check: cannot run python3: \(error)")
            return nil
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            if errText.contains("ModuleNotFoundError") {
                print("skipping external check: \(errText.split(separator: "\n").last ?? "")")
                return nil
            }
            return "python failed: \(errText)"
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
