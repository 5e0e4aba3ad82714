extension ReconstructionSettings {
    /// These settings with the grid a PLUS command asks for: `OutputSpacing` (3 mm values),
    /// `OutputOrigin` (3 mm values) and `OutputExtent` (6 integers; all zeros means "none", as in
    /// a configuration) from `attributes` replace the configured ones, read with the same rules
    /// as `<VolumeReconstruction>` and checked by `validate()`, so a hostile value (NaN, zero,
    /// 10^300, an inverted or gigantic extent) is refused with the attribute named.
    /// Returns the settings and whether any grid attribute was given.
    public func applyingGridAttributes(_ attributes: [String: String]) throws(ReconstructionError) -> (settings: ReconstructionSettings, changed: Bool) {
        let a = AttributeReader(attributes: attributes)
        var s = self
        var changed = false
        if let v = try a.doubles("OutputSpacing", count: 3) {
            s.outputSpacing = SIMD3(v[0], v[1], v[2])
            changed = true
        }
        if let v = try a.doubles("OutputOrigin", count: 3) {
            s.outputOrigin = SIMD3(v[0], v[1], v[2])
            changed = true
        }
        if let e = try a.ints("OutputExtent", count: 6), e != [0, 0, 0, 0, 0, 0] {
            // Each axis at most 65535 voxels (what an IMAGE can carry); memory is checked when allocating.
            for axis in 0..<3 where !(e[2 * axis] <= e[2 * axis + 1] && e[2 * axis + 1] - e[2 * axis] < 65535) {
                throw .invalidAttribute(name: "OutputExtent", value: attributes["OutputExtent"],
                                        reason: "each range must be min <= max and hold at most 65535 voxels")
            }
            s.outputExtent = e
            changed = true
        }
        try s.validate()
        return (s, changed)
    }

    /// A TRUE/FALSE (or ON/OFF, YES/NO, 1/0) attribute of a PLUS command, case-insensitive; nil when absent.
    public static func flag(_ name: String, in attributes: [String: String]) throws(ReconstructionError) -> Bool? {
        try AttributeReader(attributes: attributes).bool(name)
    }
}
