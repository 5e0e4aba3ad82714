import Foundation
import IGTLink
import Recordings

/// One remote command as PlusServer receives it from 3D Slicer's Plus Remote module (or any
/// OpenIGTLink client), in either of its two forms:
///
/// - legacy: a STRING whose device name is `CMD_<uid>` and whose text is
///   `<Command Name="StartRecording" .../>`, answered by a STRING `ACK_<uid>`;
/// - version 2: a COMMAND (id, name, XML text), answered by an RTS_COMMAND with the same id,
///   name and device name.
public struct PlusRemoteRequest: Sendable {
    /// How the command came, and so how it is answered.
    public enum Form: Sendable, Equatable {
        /// STRING `CMD_<uid>`; `uid` is the number after `CMD_` (nil when it is not a number:
        /// PlusServer answers such a command with a failure on device `ACK`).
        case legacy(uid: UInt32?)
        /// COMMAND with this id, sent under this device name.
        case command(id: UInt32, deviceName: String)
    }

    /// The server-side client that sent it (replies go to that client only).
    public var client: IGTLClientID
    public var form: Form
    /// The command name: COMMAND_NAME of a COMMAND, the `Name` attribute of a legacy command.
    public var name: String
    /// The command's attributes (`Name` included); empty when the text is not a `<Command>` element.
    public var attributes: [String: String]
    /// Why the text could not be used (malformed XML, another root element, too long); nil when fine.
    public var malformed: String?

    /// Longest command text read (PlusServer's commands are a few hundred bytes).
    public static let maximumTextLength = 65_536

    /// The command `message` carries, or nil when it is not one (any other type, or a STRING
    /// whose device name does not start with `CMD`, case-insensitive, as in PlusServer).
    public init?(_ message: IGTLMessage, from client: IGTLClientID) {
        self.client = client
        let text: String
        switch message.body {
        case .command(let c):
            form = .command(id: c.commandID, deviceName: message.deviceName)
            name = c.name
            text = c.text
        case .string(let s):
            let parts = message.deviceName.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first?.uppercased() == "CMD" else { return nil }
            form = .legacy(uid: parts.count > 1 ? Self.leadingNumber(parts[1]) : nil)
            name = ""
            text = s.text
        default:
            return nil
        }
        attributes = [:]
        do {
            attributes = try Self.parse(text)
            if case .legacy = form { name = attributes["Name"] ?? "" }
        } catch {
            malformed = error.reason
        }
    }

    /// The number at the start of `text` (PlusServer reads the uid with `std::stoi`), nil when none.
    static func leadingNumber(_ text: Substring) -> UInt32? {
        let digits = text.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 10 else { return nil }
        return UInt32(digits)
    }

    /// The attributes of a `<Command .../>` element.
    static func parse(_ text: String) throws(PlusRemoteError) -> [String: String] {
        guard text.utf8.count <= maximumTextLength else {
            throw .malformedCommand("the command text has \(text.utf8.count) bytes (at most \(maximumTextLength))")
        }
        let root: ConfigElement
        do {
            root = try ConfigElement.parse(Data(text.utf8), path: "command")
        } catch {
            throw .malformedCommand("failed to parse XML command string (received: \(text.prefix(200)))")
        }
        guard root.name.lowercased() == "command" else {
            throw .malformedCommand("Command element expected (received: <\(root.name.prefix(64))>)")
        }
        return root.attributes
    }
}
