#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal
/// (so logs and pipes stay clean). Redraws at most 20 times a second.
final class ProgressBar {
    private let total: Int
    /// No known total (live input): counts and time only.
    private let openEnded: Bool
    private let label: String
    private let enabled: Bool
    private let start = Date()
    private var lastDraw = Date.distantPast
    private var lastWidth = 0

    /// A bar for `total` steps named `label` (e.g. "frames").
    /// A nil `total` shows counts without a bar (live input that ends when the step has enough).
    init(total: Int?, label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.total = max(total ?? 1, 1)
        openEnded = total == nil
        self.label = label
        self.enabled = enabled
    }

    /// Shows `done` of `total` steps, with an optional note after the counts.
    func update(_ done: Int, note: String = "") {
        guard enabled else { return }
        let now = Date()
        guard (done >= total && !openEnded) || now.timeIntervalSince(lastDraw) >= 0.05 else { return }
        lastDraw = now
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = now.timeIntervalSince(start)
        var line = openEnded ? "\(done) \(label)  \(String(format: "%.1f", elapsed)) s"
            : "\(bar) \(String(format: "%3.0f", fraction * 100))% \(done)/\(total) \(label)  \(String(format: "%.1f", elapsed)) s"
        if !note.isEmpty { line += "  \(note)" }
        let pad = max(0, lastWidth - line.count)
        lastWidth = line.count
        FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: pad)).utf8))
    }

    /// Clears the bar so the next output starts on a clean line.
    func finish() {
        guard enabled, lastWidth > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: lastWidth) + "\r").utf8))
        lastWidth = 0
    }
}
