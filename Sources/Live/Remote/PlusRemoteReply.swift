import IGTLink
import Recordings

/// The answer to a remote command, in PlusServer's words: a status, a result message and (on
/// failure) an error text, plus key/value parameters for version 2 replies.
public struct PlusRemoteReply: Sendable, Equatable {
    public var succeeded: Bool
    /// PlusServer's result string (the `Message` attribute).
    public var message: String
    /// PlusServer's error string (the `Error` attribute of a failed version 2 reply).
    public var error: String
    /// Extra version 2 metadata (PlusServer puts e.g. the device ids of RequestDeviceIds here).
    public var parameters: [IGTLMetadataItem]

    /// A reply with PlusServer's status, result string, error string and parameters.
    public init(succeeded: Bool, message: String, error: String = "", parameters: [IGTLMetadataItem] = []) {
        self.succeeded = succeeded
        self.message = message
        self.error = error
        self.parameters = parameters
    }

    /// A success with PlusServer's result text.
    public static func success(_ message: String, parameters: [IGTLMetadataItem] = []) -> PlusRemoteReply {
        PlusRemoteReply(succeeded: true, message: message, parameters: parameters)
    }

    /// A failure of a known command: PlusServer's "Command failed. See error message." and the detail.
    public static func failure(_ error: String) -> PlusRemoteReply {
        PlusRemoteReply(succeeded: false, message: "Command failed. See error message.", error: error)
    }

    /// PlusServer's answer to a command it cannot create (unknown name, malformed text).
    public static func notProcessed(_ error: String = "Unknown command type requested.") -> PlusRemoteReply {
        PlusRemoteReply(succeeded: false, message: "Error attempting to process command.", error: error)
    }

    /// `SUCCESS` or `FAIL`.
    public var status: String { succeeded ? "SUCCESS" : "FAIL" }

    /// The message PlusServer sends for this reply to `request`:
    /// - legacy: STRING `ACK_<uid>` (`ACK` when the uid was not a number) holding
    ///   `<CommandReply Status="SUCCESS" Message="..." />`;
    /// - version 2: RTS_COMMAND with the command's id, name and device name holding
    ///   `<CommandReply Name="..." Status="FAIL" Error="..." Message="..."></CommandReply>`
    ///   (`Error` only on failure) and metadata `Message`, the parameters, `Status` and, on
    ///   failure, `Error` and `ErrorMessage` (the key Slicer's OpenIGTLinkIO shows; PlusServer
    ///   sends only `Error`). Attribute values are XML-escaped.
    public func message(answering request: PlusRemoteRequest) -> IGTLMessage {
        switch request.form {
        case .legacy(let uid):
            let text = "<CommandReply Status=\"\(status)\" Message=\"\(message.xmlEscaped)\" />"
            return IGTLMessage(deviceName: uid.map { "ACK_\($0)" } ?? "ACK", body: .string(IGTLString(text)))
        case .command(let id, let deviceName):
            var text = "<CommandReply Name=\"\(request.name.xmlEscaped)\" Status=\"\(status)\""
            if !succeeded { text += " Error=\"\(error.xmlEscaped)\"" }
            text += " Message=\"\(message.xmlEscaped)\"></CommandReply>"
            var metadata = [IGTLMetadataItem(key: "Message", value: message)] + parameters
            metadata.append(IGTLMetadataItem(key: "Status", value: status))
            if !succeeded {
                metadata.append(IGTLMetadataItem(key: "Error", value: error))
                // What Slicer's OpenIGTLinkIO reads as the error text (PlusServer does not send it).
                metadata.append(IGTLMetadataItem(key: "ErrorMessage", value: error))
            }
            return IGTLMessage(deviceName: Self.fitting(deviceName), body: .commandReply(IGTLCommand(commandID: id, name: request.name, text: text)),
                               headerVersion: 2, metadata: metadata)
        }
    }

    /// `name` cut to the 20 bytes a DEVICE_NAME holds (at a character boundary).
    static func fitting(_ name: String) -> String {
        var out = ""
        for c in name {
            guard out.utf8.count + String(c).utf8.count <= 20 else { break }
            out.append(c)
        }
        return out
    }
}
