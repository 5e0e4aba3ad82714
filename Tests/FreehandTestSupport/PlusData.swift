import Foundation
import Testing

/// Locates the PLUS reference data (`../shared/data/plus/PlusLibData` beside the checkout, or
/// `$FREEHAND_PLUS_DATA`). Tests that need it are enabled only when it is present, so the suite
/// also passes on a machine without it.
public enum PlusData {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// `PlusLibData` folder, or nil when absent.
    public static let root: URL? = {
        if let env = ProcessInfo.processInfo.environment["FREEHAND_PLUS_DATA"], !env.isEmpty {
            let url = URL(fileURLWithPath: env)
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        let url = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/plus/PlusLibData")
        return FileManager.default.fileExists(atPath: url.path) ? url : nil
    }()

    /// Whether the reference data is present.
    public static var isAvailable: Bool { root != nil }

    /// Why data-backed tests are skipped, for `.enabled(if:_:)`.
    public static let skipReason: Comment = "PLUS reference data not found: put the shared data at ../shared/data/plus (or set FREEHAND_PLUS_DATA) to run this test"

    /// Absolute path of `relative` (e.g. "TestImages/SpinePhantomFreehand.igs.mha") in the data.
    public static func path(_ relative: String) -> String {
        (root ?? URL(fileURLWithPath: "/nonexistent")).appendingPathComponent(relative).path
    }

    /// A fresh temporary directory for test outputs.
    public static func temporaryDirectory(_ name: String = "freehand-test") -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
