import Foundation

/// Runs `python3 -c script args...` and returns its standard output, or nil (with the reason
/// printed) when python3 or a module the script imports is missing.
public func runPython(_ script: String, _ arguments: [String] = []) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", script] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch {
        print("skipping external check: cannot run python3: \(error)")
        return nil
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errText = String(decoding: errData, as: UTF8.self)
    if process.terminationStatus != 0 {
        if errText.contains("ModuleNotFoundError") {
            print("skipping external check: \(errText.split(separator: "\n").last ?? "")")
            return nil
        }
        return "python failed: \(errText)"
    }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}
