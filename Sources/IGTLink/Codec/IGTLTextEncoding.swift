/// IANA MIBenum text encodings used by STRING, COMMAND and v2 metadata values.
public enum IGTLTextEncoding {
    /// US-ASCII (MIBenum 3): what PLUS and most senders use.
    public static let usASCII: UInt16 = 3
    /// ISO-8859-1 / Latin-1 (MIBenum 4).
    public static let latin1: UInt16 = 4
    /// UTF-8 (MIBenum 106).
    public static let utf8: UInt16 = 106

    /// A readable name for a MIBenum value.
    public static func name(_ encoding: UInt16) -> String {
        switch encoding {
        case usASCII: return "US-ASCII"
        case latin1: return "ISO-8859-1"
        case utf8: return "UTF-8"
        default: return "MIBenum \(encoding), unsupported"
        }
    }

    /// The smallest encoding that represents `text`: US-ASCII when possible, else UTF-8.
    public static func preferred(for text: String) -> UInt16 {
        text.utf8.allSatisfy { $0 < 0x80 } ? usASCII : utf8
    }

    /// Decodes `bytes`; nil when they are not valid in `encoding` or the encoding is unsupported.
    static func decode<C: Collection>(_ bytes: C, encoding: UInt16) -> String? where C.Element == UInt8 {
        switch encoding {
        case usASCII:
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(decoding: bytes, as: UTF8.self)
        case utf8:
            return String(validating: bytes, as: UTF8.self)
        case latin1:
            return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        default:
            return nil
        }
    }

    /// Encodes `text`; nil when it cannot be represented in `encoding`.
    static func encode(_ text: String, encoding: UInt16) -> [UInt8]? {
        switch encoding {
        case usASCII:
            let bytes = Array(text.utf8)
            return bytes.allSatisfy { $0 < 0x80 } ? bytes : nil
        case utf8:
            return Array(text.utf8)
        case latin1:
            var out: [UInt8] = []
            for s in text.unicodeScalars {
                guard s.value < 256 else { return nil }
                out.append(UInt8(s.value))
            }
            return out
        default:
            return nil
        }
    }
}
