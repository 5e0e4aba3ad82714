import Foundation

/// This process's memory use as Linux reports it in `/proc/self/status`.
public enum ProcessMemory {
    /// Resident set size now and its peak (high-water mark), in bytes; nil where `/proc` is absent.
    public static func residentBytes() -> (current: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        var current: Int?, peak: Int?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { current = kilobytes(line) }
            if line.hasPrefix("VmHWM:") { peak = kilobytes(line) }
        }
        guard let current, let peak else { return nil }
        return (current * 1024, peak * 1024)
    }

    private static func kilobytes(_ line: Substring) -> Int? {
        line.split(separator: " ").compactMap { Int($0) }.first
    }
}
