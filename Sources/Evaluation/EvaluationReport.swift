import Foundation

/// What the held-out protocol measured: the setup and one `MethodScore` per method.
public struct EvaluationReport: Sendable, Codable {
    public var file: String
    public var removal: String
    public var framesValid: Int
    public var framesUsed: Int
    public var framesRemoved: Int
    public var framesScored: Int
    public var grid: [Int]
    public var spacing: [Double]
    public var scores: [MethodScore]
    /// Simulator recordings only: what a perfect reconstruction scores. `phantom-image`, the
    /// noise-free image at the held-out pose: its MAE is the held-out frames' own speckle, which
    /// no reconstruction from other frames can predict (predicting the speckle's median instead
    /// of its mean would gain 0.6 % at 20 % speckle). `phantom-grid`, the phantom box-averaged
    /// into the grid and resliced: a reference for what the voxel size and reslicing lose, not
    /// a bound (a method may keep sub-voxel detail on the frame planes).
    public var floors: [MethodScore] = []

    /// The report as a plain-text table.
    public var table: String {
        var lines = [
            "\(file): \(removal) (\(framesRemoved) of \(framesValid) valid frames held out, \(framesUsed) used, \(framesScored) scored); grid \(grid.map(String.init).joined(separator: "x")) at \(spacing.map { String(format: "%g", $0) }.joined(separator: "x")) mm",
        ]
        let truth = scores.contains { $0.truthMAE != nil }
        func cell(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
        func number(_ v: Double?) -> String { v.map { String(format: "%.3f", $0) } ?? "-" }
        var header = "method        " + cell("MAE", 9) + cell("RMSE", 9) + cell("uncovered", 11) + cell("MAE common", 12)
        if truth { header += cell("truth MAE", 11) + cell("truth RMSE", 12) + cell("truth common", 14) }
        lines.append(header + cell("seconds", 9))
        for s in scores {
            var line = s.method.padding(toLength: 14, withPad: " ", startingAt: 0) + cell(number(s.mae), 9) + cell(number(s.rmse), 9)
                + cell(String(format: "%.2f%%", 100 * s.uncoveredFraction), 11) + cell(number(s.commonMAE), 12)
            if truth { line += cell(number(s.truthMAE), 11) + cell(number(s.truthRMSE), 12) + cell(number(s.commonTruthMAE), 14) }
            lines.append(line + cell(String(format: "%.2f", s.seconds), 9))
        }
        if !floors.isEmpty { lines.append("floors (a perfect reconstruction):") }
        for s in floors {
            lines.append(s.method.padding(toLength: 14, withPad: " ", startingAt: 0) + cell(number(s.mae), 9) + cell(number(s.rmse), 9)
                         + cell("", 23) + cell(number(s.truthMAE), 11) + cell(number(s.truthRMSE), 12))
        }
        lines.append("MAE/RMSE over the pixels each method covers; \"common\" columns over the pixels all methods cover; grey levels.")
        if !floors.isEmpty {
            lines.append("phantom-image: the noise-free image at the held-out pose (the held-out frame's own speckle); phantom-grid: the phantom averaged into the voxels and resliced.")
        }
        return lines.joined(separator: "\n")
    }

    /// The report as pretty-printed JSON.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}
