import Foundation
import Reconstruction

/// One progress bar per phase of an offline reconstruction (extent, pasting, hole filling),
/// on standard error when it is a terminal.
final class PhaseProgress {
    private let enabled: Bool
    private var current: (phase: RecordingReconstruction.Phase, bar: ProgressBar)?

    init(enabled: Bool) {
        self.enabled = enabled && isatty(STDERR_FILENO) != 0
    }

    /// Shows `done` of `total` in `phase` (a new phase replaces the bar).
    func update(_ phase: RecordingReconstruction.Phase, _ done: Int, _ total: Int) {
        if current?.phase != phase {
            current?.bar.finish()
            current = (phase, ProgressBar(total: total, label: phase == .holeFilling ? "" : "frames \(phase.rawValue)", enabled: enabled))
        }
        current?.bar.update(done)
    }

    /// Clears the bar.
    func finish() { current?.bar.finish() }
}
