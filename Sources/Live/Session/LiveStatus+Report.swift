import Foundation
import Imaging
import Reconstruction

extension LiveStatus {
    /// The machine-readable `--report` line: `t=10.0s images=300 compounded=298 ... rss_mb=...`.
    public var reportLine: String {
        func ms(_ v: Double?) -> String { v.map { String(format: "%.1f", $0 * 1000) } ?? "-" }
        let mem = ProcessMemory.residentBytes()
        let rss = mem.map { String(format: "rss_mb=%.1f peak_rss_mb=%.1f", Double($0.current) / 1_048_576, Double($0.peak) / 1_048_576) } ?? "rss_mb=-"
        return String(format: "t=%.1fs images=%d compounded=%d rejected=%d dropped=%d missing=%d fps=%.1f coverage=%.1f%% ",
                      elapsed, imagesReceived, framesCompounded, framesRejected, framesDropped, framesMissing,
                      frameRate, coverage * 100)
            + "messages_lost=\(messagesLost) outside_partly=\(framesPartlyOutsideGrid) outside_wholly=\(framesOutsideGrid) grid_growths=\(gridGrowths) "
            + "latency_p50_ms=\(ms(latencyP50)) latency_p99_ms=\(ms(latencyP99)) latency_max_ms=\(ms(latencyMax)) " + rss
    }

    /// Calls `emit` with a `reportLine` every `interval` seconds of session time, until the
    /// task is cancelled.
    public static func reportPeriodically(every interval: Double = 10, status: @Sendable () -> LiveStatus,
                                          emit: @Sendable (String) -> Void) async {
        var next = interval
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            if Task.isCancelled { break }
            let s = status()
            if s.elapsed >= next {
                emit(s.reportLine)
                next += interval
            }
        }
    }
}
