#if canImport(FoundationXML)
import FoundationXML
#endif
import FileSafety
import Foundation
import Geometry

/// A PLUS device-set configuration file (`PlusDeviceSet_*.xml`): the element tree plus the
/// parts Freehand uses directly, the calibration transforms of `<CoordinateDefinitions>`.
public struct DeviceSetConfiguration: Sendable {
    /// A `<Transform From= To= Matrix= Error= Date= />` of the coordinate definitions.
    public struct CoordinateDefinition: Sendable, Equatable {
        /// `FromToTo`, from the `From` and `To` attributes.
        public var name: TransformName
        /// The 4x4 matrix, row-major as written in `Matrix`.
        public var matrix: Transform3D
        /// The calibration error the file records (`Error`), if any.
        public var error: Double?
        /// The calibration date the file records (`Date`), verbatim.
        public var date: String?
        /// Whether PLUS may save an updated value (`Persistent`, default true).
        public var isPersistent: Bool
    }

    /// The file it was read from.
    public var path: String
    /// The document element (`<PlusConfiguration>`).
    public var root: ConfigElement
    /// The calibration transforms with all details.
    public var coordinateDefinitionDetails: [CoordinateDefinition]

    /// The calibration transforms of `<CoordinateDefinitions>`, in file order.
    public var coordinateDefinitions: [(name: TransformName, matrix: Transform3D)] {
        coordinateDefinitionDetails.map { ($0.name, $0.matrix) }
    }

    /// The `<VolumeReconstruction>` element, if any.
    public var volumeReconstruction: ConfigElement? {
        root.name == "VolumeReconstruction" ? root : root.first("VolumeReconstruction")
    }

    /// A transform repository holding the coordinate definitions as persistent transforms.
    public func transformRepository() -> TransformRepository {
        var repository = TransformRepository()
        for d in coordinateDefinitionDetails {
            repository.set(d.name, d.matrix, status: .ok, persistent: true)
        }
        return repository
    }

    /// Builds a configuration from an element tree (`path` is for messages).
    public init(root: ConfigElement, path: String = "<memory>") throws(RecordingError) {
        self.path = path
        self.root = root
        var details: [CoordinateDefinition] = []
        for definitions in (root.name == "CoordinateDefinitions" ? [root] : root.all("CoordinateDefinitions")) {
            for t in definitions.children where t.name == "Transform" {
                let field = "CoordinateDefinitions/Transform (line \(t.line))"
                guard let from = t[attribute: "From"], !from.isEmpty else {
                    throw .missingField(file: path, field: "\(field) From")
                }
                guard let to = t[attribute: "To"], !to.isEmpty else {
                    throw .missingField(file: path, field: "\(field) To")
                }
                guard let matrixText = t[attribute: "Matrix"] else {
                    throw .missingField(file: path, field: "\(field) \(from)To\(to) Matrix")
                }
                let numbers = try RasterHeader.numbers(matrixText, count: 16, file: path, field: "\(field) \(from)To\(to) Matrix")
                var error: Double?
                if let e = t[attribute: "Error"] {
                    guard let v = Double(e.trimmed) else {
                        throw .invalidField(file: path, field: "\(field) \(from)To\(to) Error", value: e, reason: "not a number")
                    }
                    error = v
                }
                let persistent = t[attribute: "Persistent"].map { $0.uppercased() != "FALSE" } ?? true
                details.append(CoordinateDefinition(name: TransformName(from: from, to: to), matrix: Transform3D(rowMajor: numbers),
                                                    error: error, date: t[attribute: "Date"], isPersistent: persistent))
            }
        }
        coordinateDefinitionDetails = details
    }

    /// Reads and parses `path`.
    public static func load(_ path: String) throws(RecordingError) -> DeviceSetConfiguration {
        do throws(FileSafetyError) { try InputFile.checkRegular(path, role: "configuration") } catch {
            throw .io(file: path, message: error.reason)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(file: path, message: "cannot read the file")
        }
        return try DeviceSetConfiguration(root: try ConfigElement.parse(data, path: path), path: path)
    }
}

extension ConfigElement {
    /// Parses XML `data` into an element tree (`path` is for messages).
    public static func parse(_ data: Data, path: String = "<memory>") throws(RecordingError) -> ConfigElement {
        let builder = ConfigTreeBuilder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        parser.shouldProcessNamespaces = false
        parser.shouldResolveExternalEntities = false
        let ok = parser.parse()
        if !ok || builder.root == nil {
            let message = parser.parserError.map { String(describing: $0) } ?? "no document element"
            throw .malformedXML(file: path, line: parser.lineNumber, message: builder.failure ?? message)
        }
        return builder.root!
    }
}

/// Collects XMLParser events into `ConfigElement`s.
private final class ConfigTreeBuilder: NSObject, XMLParserDelegate {
    var stack: [ConfigElement] = []
    var root: ConfigElement?
    var failure: String?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        stack.append(ConfigElement(name: elementName, attributes: attributeDict, line: parser.lineNumber))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard var element = stack.popLast() else { return }
        element.text = element.text.trimmed
        if stack.isEmpty {
            root = element
        } else {
            stack[stack.count - 1].children.append(element)
        }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
        if failure == nil { failure = "\(parseError.localizedDescription) (column \(parser.columnNumber))" }
    }
}
