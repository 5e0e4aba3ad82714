#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Calibration
import Dispatch
import Foundation
import Synchronization

/// The calibration wizard on a terminal: text on standard output, answers from standard input,
/// a progress bar on standard error, Ctrl-C stops a live collection.
final class TerminalWizardIO: WizardIO {
    private var bar: ProgressBar?
    private let isTTY = isatty(STDERR_FILENO) != 0
    private var lastStatusTime = 0.0
    private var done = 0

    func say(_ text: String) {
        bar?.finish()
        print(text)
        fflush(nil)
    }

    func ask(_ prompt: String) -> String? {
        print(prompt, terminator: "")
        fflush(nil)
        guard let line = readLine() else { print(""); return nil }
        return line.trimmingCharacters(in: .whitespaces)
    }

    func beginProgress(total: Int?, label: String) { bar = ProgressBar(total: total, label: label); done = 0 }
    func progress(_ done: Int, note: String) { self.done = done; bar?.update(done, note: note) }
    func endProgress() { bar?.finish(); bar = nil }

    /// On a terminal the status goes on the progress line; in a log, the first one and then one every 5 s.
    func status(_ text: String) {
        if isTTY, let bar { bar.update(done, note: text.trimmingCharacters(in: .whitespaces)); return }
        let now = Date().timeIntervalSince1970
        guard now - lastStatusTime >= 5 else { return }
        lastStatusTime = now
        say(text)
    }

    func interruptible<T>(stop: @escaping @Sendable () -> Void, _ body: () throws -> T) rethrows -> T {
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler { stop() }
        interrupt.resume()
        defer {
            interrupt.cancel()
            signal(SIGINT, SIG_DFL)
        }
        return try body()
    }
}
