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

    /// The report as a plain-text table.
    public var table: String {
        var lines = [
            "\(file): \(removal) (\(framesRemoved) of \(framesValid) valid frames held out, \(framesUsed) used, \(framesScored) scored); grid \(grid.map(String.init).joined(separator: "x")) at \(spacing.map { String(format: "%g", $0) }.joined(separator: "x")) mm",
        ]
        let truth = scores.contains { $0.truthMAE != nil }
        var header = String(format: "%-14@ %9@ %9@ %10@", "method" as NSString, "MAE" as NSString, "RMSE" as NSString, "uncovered" as NSString)
        if truth { header += String(format: " %9@ %10@", "truth MAE" as NSString, "truth RMSE" as NSString) }
        header += String(format: " %9@", "seconds" as NSString)
        lines.append(header)
        for s in scores {
            var line = String(format: "%-14@ %9.3f %9.3f %9.2f%%", s.method as NSString, s.mae, s.rmse, 100 * s.uncoveredFraction)
            if truth { line += String(format: " %9.3f %10.3f", s.truthMAE ?? .nan, s.truthRMSE ?? .nan) }
            line += String(format: " %9.2f", s.seconds)
            lines.append(line)
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
