/// One element of an XML configuration file: its name, attributes and child elements.
public struct ConfigElement: Sendable, Equatable {
    /// The tag name (`VolumeReconstruction`, `Transform`, ...).
    public var name: String
    /// Attribute values by name, as written (entities decoded).
    public var attributes: [String: String]
    /// Child elements in document order.
    public var children: [ConfigElement]
    /// Character data directly inside the element, trimmed (empty for most PLUS elements).
    public var text: String
    /// Line of the start tag in the file (0 when unknown), for error messages.
    public var line: Int

    public init(name: String, attributes: [String: String] = [:], children: [ConfigElement] = [], text: String = "", line: Int = 0) {
        self.name = name
        self.attributes = attributes
        self.children = children
        self.text = text
        self.line = line
    }

    /// The attribute `name`, or nil.
    public subscript(attribute name: String) -> String? {
        attributes[name]
    }

    /// The first descendant (depth-first, document order) named `name`, not counting this element.
    public func first(_ name: String) -> ConfigElement? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// Every descendant named `name`, in document order, not counting this element.
    public func all(_ name: String) -> [ConfigElement] {
        var result: [ConfigElement] = []
        collect(name, into: &result)
        return result
    }

    private func collect(_ name: String, into result: inout [ConfigElement]) {
        for child in children {
            if child.name == name { result.append(child) }
            child.collect(name, into: &result)
        }
    }

    /// The attribute parsed as whitespace-separated numbers, or nil when absent or not numeric.
    public func numbers(_ attribute: String) -> [Double]? {
        guard let text = attributes[attribute] else { return nil }
        var values: [Double] = []
        for w in text.words {
            guard let d = Double(w) else { return nil }
            values.append(d)
        }
        return values
    }
}
