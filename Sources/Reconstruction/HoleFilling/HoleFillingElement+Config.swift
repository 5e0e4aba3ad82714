import Recordings

extension HoleFillingElement {
    /// Reads a `<HoleFillingElement>` from a device-set configuration; `index` (0-based
    /// position in its `<HoleFilling>`) names it in errors.
    public init(element: ConfigElement, index: Int = 0) throws(ReconstructionError) {
        guard element.name.lowercased() == "holefillingelement" else {
            throw .invalidHoleFillingElement(index: index, reason: "expected a <HoleFillingElement>, found <\(element.name)> (line \(element.line))")
        }
        try self.init(attributes: element.attributes, index: index)
    }

    /// The kernels of a `<HoleFilling>` element (or of the `<HoleFilling>` inside a
    /// `<VolumeReconstruction>`), in order; children with other names are skipped, as in PLUS.
    public static func elements(in holeFilling: ConfigElement) throws(ReconstructionError) -> [HoleFillingElement] {
        let container = holeFilling.name.lowercased() == "holefilling" ? holeFilling
            : holeFilling.children.first { $0.name.lowercased() == "holefilling" }
        guard let container else { return [] }
        var result: [HoleFillingElement] = []
        for child in container.children where child.name.lowercased() == "holefillingelement" {
            result.append(try HoleFillingElement(element: child, index: result.count))
        }
        return result
    }
}
