#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// Terminal plumbing shared by the live commands: Ctrl-C (SIGINT) and SIGTERM ask for a clean
/// stop (a second Ctrl-C exits at once), SIGUSR1 or typing `s` + Enter asks for a snapshot, and a
/// one-line status is redrawn on standard error about 4 times a second, only on a terminal.
final class LiveTerminal: Sendable {
    private struct State {
        // The concrete class is Sendable; the protocol existentials libdispatch returns are not.
        var sources: [DispatchSource] = []
        var timer: DispatchSource?
        var lastWidth = 0
        var stopCount = 0
    }
    private let state = Mutex(State())
    /// Whether standard error is a terminal (status line shown).
    let isTTY = isatty(STDERR_FILENO) != 0

    /// Installs the handlers.
    init(onStop: @escaping @Sendable () -> Void, onSnapshot: (@Sendable () -> Void)? = nil) {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [weak self] in
                guard let self else { return }
                let n = self.state.withLock { $0.stopCount += 1; return $0.stopCount }
                if n > 1 { self.printLine("freehand: stopping now"); exit(130) }
                self.printLine("freehand: stopping (writing results; Ctrl-C again to quit at once)")
                onStop()
            }
            s.resume()
            if let source = s as? DispatchSource { state.withLock { $0.sources.append(source) } }
        }
        if let onSnapshot {
            signal(SIGUSR1, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
            s.setEventHandler { onSnapshot() }
            s.resume()
            if let source = s as? DispatchSource { state.withLock { $0.sources.append(source) } }
            if isatty(STDIN_FILENO) != 0 {
                let reader = Thread {
                    while let line = readLine() {
                        if line.trimmingCharacters(in: .whitespaces).lowercased() == "s" { onSnapshot() }
                    }
                }
                reader.start()
            }
        }
    }

    /// Redraws `line()` about 4 times a second (terminal only).
    func showStatus(_ line: @escaping @Sendable () -> String) {
        guard isTTY else { return }
        let t = DispatchSource.makeTimerSource(queue: .global())
        t.schedule(deadline: .now() + 0.25, repeating: 0.25)
        t.setEventHandler { [weak self] in self?.draw(line()) }
        t.resume()
        if let source = t as? DispatchSource { state.withLock { $0.timer = source } }
    }

    /// Prints a full line above the status line (or plainly when not on a terminal).
    func printLine(_ text: String) {
        state.withLock { s in
            clear(&s)
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// Removes the status line until its next redraw (before printing to standard output).
    func clearStatus() {
        state.withLock { clear(&$0) }
    }

    /// Removes the status line and the handlers' timer.
    func finish() {
        state.withLock { s in
            s.timer?.cancel()
            s.timer = nil
            clear(&s)
        }
    }

    private func clear(_ s: inout State) {
        guard isTTY && s.lastWidth > 0 else { return }
        FileHandle.standardError.write(Data(("\r" + String(repeating: " ", count: s.lastWidth) + "\r").utf8))
        s.lastWidth = 0
    }

    private func draw(_ line: String) {
        state.withLock { s in
            guard s.timer != nil else { return }
            let pad = max(0, s.lastWidth - line.count)
            s.lastWidth = line.count
            FileHandle.standardError.write(Data(("\r" + line + String(repeating: " ", count: pad)).utf8))
        }
    }
}
