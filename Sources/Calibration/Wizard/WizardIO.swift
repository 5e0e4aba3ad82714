/// How the calibration wizard talks to its user: a terminal in `freehand calibrate`, a script in
/// tests. The wizard's flow (step order, prompts, redo, grading) lives in `CalibrationWizard`; an
/// implementation only shows text and reads answers.
public protocol WizardIO {
    /// Shows a line (or several) of text.
    func say(_ text: String)
    /// Shows `prompt` and reads one line as typed (trimmed of spaces); nil at the end of input.
    func ask(_ prompt: String) -> String?
    /// Starts a progress line for `total` items (nil: open-ended, live input) called `label`.
    func beginProgress(total: Int?, label: String)
    /// Updates the progress line: `done` items, with a note (what the step has so far).
    func progress(_ done: Int, note: String)
    /// A live status while no usable frame arrives (what is received, what the step waits for).
    func status(_ text: String)
    /// Clears the progress line.
    func endProgress()
    /// Runs `body`; an interrupt (Ctrl-C) while it runs calls `stop` instead of ending the program.
    func interruptible<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T
}

extension WizardIO {
    public func status(_ text: String) { say(text) }
    public func interruptible<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T { try body() }
}
