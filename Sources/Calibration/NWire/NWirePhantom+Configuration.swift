import Recordings

extension NWirePhantom {
    /// Reads the N-wire patterns of a `<PhantomDefinition>` (`<Geometry><Pattern Type="NWire"><Wire Name=...
    /// EndPointFront="x y z" EndPointBack="x y z"/>`), from the configuration root or the element itself.
    public init(configuration element: ConfigElement) throws(NWireError) {
        let definition = element.name == "PhantomDefinition" ? element : element.first("PhantomDefinition")
        guard let definition else { throw .invalidPhantom("no <PhantomDefinition> element in the configuration") }
        guard let geometry = definition.first("Geometry") else {
            throw .invalidPhantom("<PhantomDefinition> (line \(definition.line)) has no <Geometry>")
        }
        var patterns: [NWirePattern] = []
        for pattern in geometry.children where pattern.name.lowercased() == "pattern" {
            guard (pattern[attribute: "Type"] ?? "").lowercased() == "nwire" else {
                throw .invalidPhantom("<Pattern Type=\"\(pattern[attribute: "Type"] ?? "")\"> (line \(pattern.line)) is not supported, only Type=\"NWire\"")
            }
            var wires: [PhantomWire] = []
            for wire in pattern.children where wire.name == "Wire" {
                guard let front = wire.numbers("EndPointFront"), front.count == 3,
                      let back = wire.numbers("EndPointBack"), back.count == 3 else {
                    throw .invalidPhantom("<Wire Name=\"\(wire[attribute: "Name"] ?? "")\"> (line \(wire.line)) needs EndPointFront and EndPointBack with 3 numbers each")
                }
                wires.append(PhantomWire(name: wire[attribute: "Name"] ?? "Wire\(wires.count + 1)",
                                         front: SIMD3(front[0], front[1], front[2]), back: SIMD3(back[0], back[1], back[2])))
            }
            do {
                patterns.append(try NWirePattern(wires: wires))
            } catch {
                throw .invalidPhantom("<Pattern> at line \(pattern.line): \(error)")
            }
        }
        try self.init(patterns: patterns)
    }
}
