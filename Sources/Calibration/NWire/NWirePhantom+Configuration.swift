import Recordings

extension NWirePhantom {
    /// Reads the N-wire patterns of a `<PhantomDefinition>` (`<Geometry><Pattern Type="NWire"><Wire Name=...
    /// EndPointFront="x y z" EndPointBack="x y z"/>`), from the configuration root or the element itself.
    /// The fCal 1.x form, `<Geometry><NWire><Wire Id="1" Name=... EndPointFront=... EndPointBack=.../>...</NWire>`
    /// (optionally inside `<NWires>`), is read the same way, wires in the order listed.
    public init(configuration element: ConfigElement) throws(NWireError) {
        let definition = element.name == "PhantomDefinition" ? element : element.first("PhantomDefinition")
        guard let definition else { throw .invalidPhantom("no <PhantomDefinition> element in the configuration") }
        guard let geometry = definition.first("Geometry") else {
            throw .invalidPhantom("<PhantomDefinition> (line \(definition.line)) has no <Geometry>")
        }
        var patterns: [NWirePattern] = []
        // fCal 1.x: <NWire> elements (possibly grouped in <NWires>) instead of <Pattern Type="NWire">.
        let legacy = geometry.children.flatMap { $0.name.lowercased() == "nwires" ? $0.children : [$0] }.filter { $0.name.lowercased() == "nwire" }
        let current = geometry.children.filter { $0.name.lowercased() == "pattern" }
        for pattern in current + legacy {
            guard pattern.name.lowercased() == "nwire" || (pattern[attribute: "Type"] ?? "").lowercased() == "nwire" else {
                throw .invalidPhantom("<Pattern Type=\"\(pattern[attribute: "Type"] ?? "")\"> (line \(pattern.line)) is not supported, only Type=\"NWire\"")
            }
            var wires: [PhantomWire] = []
            if pattern.name.lowercased() == "nwire", pattern.children.filter({ $0.name == "Wire" }).count != 3 {
                throw .invalidPhantom("<NWire> (fCal 1.x form) at line \(pattern.line) lists \(pattern.children.filter { $0.name == "Wire" }.count) <Wire> elements; an N-wire has exactly 3")
            }
            for wire in pattern.children where wire.name == "Wire" {
                guard let front = wire.numbers("EndPointFront"), front.count == 3,
                      let back = wire.numbers("EndPointBack"), back.count == 3 else {
                    throw .invalidPhantom("<Wire Name=\"\(wire[attribute: "Name"] ?? "")\"> (line \(wire.line)) needs EndPointFront and EndPointBack with 3 numbers each")
                }
                wires.append(PhantomWire(name: wire[attribute: "Name"] ?? wire[attribute: "Id"].map { "Wire\($0)" } ?? "Wire\(wires.count + 1)",
                                         front: SIMD3(front[0], front[1], front[2]), back: SIMD3(back[0], back[1], back[2])))
            }
            do {
                patterns.append(try NWirePattern(wires: wires))
            } catch {
                throw .invalidPhantom("<Pattern> at line \(pattern.line): \(error)")
            }
        }
        guard !patterns.isEmpty else {
            let found = geometry.children.map { "<\($0.name)>" }
            throw .invalidPhantom("<Geometry> (line \(geometry.line)) has no <Pattern Type=\"NWire\"> (nor fCal 1.x <NWire>) elements"
                                  + (found.isEmpty ? "" : "; it has \(Set(found).sorted().joined(separator: ", "))"))
        }
        try self.init(patterns: patterns)
    }
}
