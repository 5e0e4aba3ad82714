import Foundation
import Synchronization

/// Lets notices reach the terminal set up after the options (printing plainly before).
final class LiveTerminalBox: Sendable {
    private let terminal = Mutex<LiveTerminal?>(nil)
    func set(_ t: LiveTerminal) { terminal.withLock { $0 = t } }
    func print(_ text: String) {
        if let t = terminal.withLock({ $0 }) { t.printLine(text) } else { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    }
}
